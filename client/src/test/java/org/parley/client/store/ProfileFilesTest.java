package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;

/** The profile's modes are checked on every open, not only when the files are created. */
class ProfileFilesTest {
  @TempDir Path dir;
  private Path file;

  @BeforeEach
  void posixOnly() {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    file = dir.resolve("profile").resolve("device.db");
  }

  @Test
  void looseModesAreFixedOnReopen() throws Exception {
    DeviceDatabase.open(file).close();
    Path wal = file.resolveSibling("device.db-wal");
    Files.setPosixFilePermissions(file.getParent(), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    Files.createFile(
        wal, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));

    try (DeviceDatabase db = DeviceDatabase.open(file)) {
      assertThat(mode(file.getParent())).isEqualTo("rwx------");
      assertThat(mode(file)).isEqualTo("rw-------");
      assertThat(mode(wal)).isEqualTo("rw-------");
      assertThat(mode(file.resolveSibling("device.db-shm"))).isEqualTo("rw-------");
      assertThat(db.schemaVersion()).isPositive(); // it opened and migrated
    }
  }

  @Test
  void aNewProfileIsOwnerOnly() throws Exception {
    try (DeviceDatabase db = DeviceDatabase.open(file)) {
      assertThat(mode(file.getParent())).isEqualTo("rwx------");
      assertThat(mode(file)).isEqualTo("rw-------");
      assertThat(mode(file.resolveSibling("device.db-wal"))).isEqualTo("rw-------");
    }
  }

  @Test
  void filesOfAnotherUserAreRefused() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "only root can give a file away");
    DeviceDatabase.open(file).close();
    UserPrincipal nobody =
        file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(file, nobody);

    assertThatThrownBy(() -> DeviceDatabase.open(file))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining(file + " belongs to nobody, not to root");
  }

  @Test
  void aPlantedLinkIsRefusedAndItsTargetLeftAlone() throws Exception {
    DeviceDatabase.open(file).close();
    Path target = dir.resolve("elsewhere");
    Files.writeString(target, "someone else's file");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
    Path wal = file.resolveSibling("device.db-wal");
    Files.deleteIfExists(wal);
    Files.createSymbolicLink(wal, target);

    assertThatThrownBy(() -> DeviceDatabase.open(file))
        .isInstanceOf(ClientException.class)
        .hasMessageContaining("is a symbolic link");
    assertThat(mode(target)).isEqualTo("rw-r--r--");
    assertThat(Files.readString(target)).isEqualTo("someone else's file");
  }

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
