package org.parley.server.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.KeyFiles;

class KtKeyFilesTest {
  private static final int SIGNING = 32;
  private static final int VRF = 33;
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path dataDir;

  private static Supplier<byte[]> random(int length) {
    return () -> {
      byte[] key = new byte[length];
      RANDOM.nextBytes(key);
      return key;
    };
  }

  private static Supplier<byte[]> never() {
    return () -> {
      throw new AssertionError("a key was generated although the files exist");
    };
  }

  private KeyFiles.Keys load() {
    return KeyFiles.loadOrCreate(
        dataDir, KtService.KEYS, SIGNING, random(SIGNING), VRF, random(VRF));
  }

  private Path key(String name) {
    return dataDir.resolve("kt").resolve(name);
  }

  @Test
  void theFirstStartCreatesBothKeysAndLaterStartsReadTheSameBytes() throws Exception {
    KeyFiles.Keys first = load();

    assertThat(first.created()).isTrue();
    assertThat(Files.readAllBytes(key("signing.key"))).isEqualTo(first.first());
    assertThat(Files.readAllBytes(key("vrf.key"))).isEqualTo(first.second());
    assertThat(dataDir.resolve("kt.new")).doesNotExist();

    KeyFiles.Keys second =
        KeyFiles.loadOrCreate(dataDir, KtService.KEYS, SIGNING, never(), VRF, never());

    assertThat(second.created()).isFalse();
    assertThat(second.first()).isEqualTo(first.first());
    assertThat(second.second()).isEqualTo(first.second());
    assertThat(second.toString()).isEqualTo("Keys[created=false]"); // no secrets in logs
  }

  @Test
  void theKeysAreReadableByTheOwnerOnly() throws Exception {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    load();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key("signing.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key("vrf.key"))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key("."))))
        .isEqualTo("rwx------");
  }

  @Test
  void aKeyOfTheWrongLengthIsRefusedNamingTheFile() throws Exception {
    load();
    Files.write(key("vrf.key"), new byte[VRF - 1]);

    assertThatThrownBy(
            () -> KeyFiles.loadOrCreate(dataDir, KtService.KEYS, SIGNING, never(), VRF, never()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(key("vrf.key").toString())
        .hasMessageContaining("32 bytes, not the 33")
        .hasMessageContaining("restore it from a backup");
    assertThat(Files.size(key("vrf.key"))).isEqualTo(VRF - 1); // left as it was
  }

  @Test
  void aMissingKeyIsRefusedRatherThanReplaced() throws Exception {
    load();
    Files.delete(key("signing.key"));

    assertThatThrownBy(
            () -> KeyFiles.loadOrCreate(dataDir, KtService.KEYS, SIGNING, never(), VRF, never()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(key("signing.key").toString())
        .hasMessageContaining("missing");
  }

  @Test
  void anUnreadableKeyIsRefused() throws Exception {
    load();
    // a directory in the key's place: unreadable as a file even for root, who ignores chmod 000
    Files.delete(key("signing.key"));
    Files.createDirectory(key("signing.key"));

    assertThatThrownBy(
            () -> KeyFiles.loadOrCreate(dataDir, KtService.KEYS, SIGNING, never(), VRF, never()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(key("signing.key").toString());
  }

  @Test
  void aLeftoverOfAnInterruptedFirstStartIsReplaced() throws Exception {
    Path staging = Files.createDirectories(dataDir.resolve("kt.new"));
    Files.write(staging.resolve("signing.key"), new byte[] {1, 2, 3});

    KeyFiles.Keys keys = load();

    assertThat(keys.created()).isTrue();
    assertThat(Files.readAllBytes(key("signing.key"))).isEqualTo(keys.first());
    assertThat(staging).doesNotExist();
  }

  @Test
  void aGeneratorOfTheWrongLengthCreatesNothing() {
    assertThatThrownBy(
            () ->
                KeyFiles.loadOrCreate(
                    dataDir, KtService.KEYS, SIGNING, random(SIGNING), VRF, random(VRF + 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("vrf.key");
    assertThat(dataDir.resolve("kt")).doesNotExist();
  }

  @Test
  void aFileWhereTheDirectoryBelongsIsRefused() throws Exception {
    Files.write(dataDir.resolve("kt"), new byte[0]);

    assertThatThrownBy(this::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not a directory");
  }

  @Test
  void theDataDirectoryIsCreatedIfMissing() {
    Path nested = dataDir.resolve("a/b");
    KeyFiles.Keys keys =
        KeyFiles.loadOrCreate(nested, KtService.KEYS, SIGNING, random(SIGNING), VRF, random(VRF));

    assertThat(keys.created()).isTrue();
    assertThat(nested.resolve("kt/vrf.key")).exists();
  }
}
