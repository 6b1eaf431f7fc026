package org.parley.server.kt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key-transparency secret keys, {@code <dataDir>/kt/signing.key} (tree heads) and
 * {@code <dataDir>/kt/vrf.key} (search keys), as raw bytes. The caller makes new key material with
 * the keytrans module; this only keeps it.
 *
 * <p>Both keys are created together or not at all: they are written into {@code kt.new/}, synced,
 * and the directory is renamed to {@code kt/} in one atomic step, so a crash during the first start
 * leaves either no keys (the next start makes new ones) or both. Once {@code kt/} exists its keys
 * are only ever read: a key that is missing, unreadable or of the wrong length stops the server,
 * because a replacement would make the published log unverifiable (a new signing key) or move every
 * label (a new VRF key).
 */
public final class KtKeyFiles {
  public static final String DIRECTORY = "kt";
  public static final String SIGNING_KEY = "signing.key";
  public static final String VRF_KEY = "vrf.key";

  private static final Logger LOG = LoggerFactory.getLogger(KtKeyFiles.class);
  private static final String STAGING = "kt.new";
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private KtKeyFiles() {}

  /**
   * The keys read from {@code dataDir}, or made by the generators and stored on the first start. A
   * caller that finds {@link Keys#created()} true while its log already has entries must refuse to
   * start: the keys that signed the log are gone.
   *
   * @throws IllegalStateException naming the file and what to do, if a key cannot be used
   * @throws IllegalArgumentException if a generator gives a key of the wrong length
   */
  public static Keys loadOrCreate(
      Path dataDir,
      int signingKeyLength,
      Supplier<byte[]> newSigningKey,
      int vrfKeyLength,
      Supplier<byte[]> newVrfKey) {
    Path dir = dataDir.resolve(DIRECTORY);
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      byte[] signing = generated(newSigningKey, signingKeyLength, SIGNING_KEY);
      byte[] vrf = generated(newVrfKey, vrfKeyLength, VRF_KEY);
      try {
        if (create(dataDir, dir, signing, vrf)) {
          return new Keys(signing, vrf, true);
        }
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot create the key-transparency keys in " + dir + ": " + e.getMessage(), e);
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          dir + " is not a directory; move it away so the server can create its keys there");
    }
    return new Keys(
        read(dir.resolve(SIGNING_KEY), signingKeyLength),
        read(dir.resolve(VRF_KEY), vrfKeyLength),
        false);
  }

  private static byte[] generated(Supplier<byte[]> generator, int length, String name) {
    byte[] key = generator.get();
    if (key == null || key.length != length) {
      throw new IllegalArgumentException(
          "the generator of "
              + name
              + " gave "
              + (key == null ? "nothing" : key.length + " bytes")
              + ", not "
              + length);
    }
    return key;
  }

  /** Writes both keys and moves them into place; false if another start got there first. */
  private static boolean create(Path dataDir, Path dir, byte[] signing, byte[] vrf)
      throws IOException {
    Files.createDirectories(dataDir);
    Path staging = dataDir.resolve(STAGING);
    deleteRecursively(staging); // an earlier first start died before the rename: never used
    if (posix()) {
      Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
    } else {
      Files.createDirectory(staging);
    }
    write(staging.resolve(SIGNING_KEY), signing);
    write(staging.resolve(VRF_KEY), vrf);
    syncDirectory(staging);
    try {
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteRecursively(staging);
      return false;
    }
    syncDirectory(dataDir);
    LOG.info("created the key-transparency keys in {}", dir);
    return true;
  }

  private static void write(Path file, byte[] key) throws IOException {
    Set<StandardOpenOption> options =
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes =
        posix()
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(file, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(key);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    if (posix()) {
      Files.setPosixFilePermissions(file, OWNER_FILE); // the umask may have cut the attribute
    }
  }

  private static byte[] read(Path file, int length) {
    String restore =
        "; restore it from a backup of the data directory (a new key would invalidate the"
            + " published key-transparency log)";
    if (!Files.exists(file)) {
      throw new IllegalStateException("the key-transparency key " + file + " is missing" + restore);
    }
    byte[] key;
    try {
      if (Files.size(file) != length) {
        throw new IllegalStateException(
            "the key-transparency key "
                + file
                + " holds "
                + Files.size(file)
                + " bytes, not the "
                + length
                + " of this cipher suite: it is damaged or from"
                + " another configuration"
                + restore);
      }
      key = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the key-transparency key " + file + " (" + e + ")" + restore, e);
    }
    if (key.length != length) { // changed between the two looks
      throw new IllegalStateException(
          "the key-transparency key " + file + " changed while it was read" + restore);
    }
    warnIfShared(file);
    return key;
  }

  private static void warnIfShared(Path file) {
    if (!posix()) {
      return;
    }
    try {
      if (!OWNER_FILE.containsAll(Files.getPosixFilePermissions(file))) {
        LOG.warn("{} can be read by other users; chmod 600 it", file);
      }
    } catch (IOException e) {
      LOG.warn("cannot check the permissions of {}: {}", file, e.toString());
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  /** Makes a rename or a new file in the directory durable (a no-op where that is not possible). */
  private static void syncDirectory(Path dir) throws IOException {
    if (!posix()) {
      return; // Windows cannot open a directory as a channel; NTFS journals the rename
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * The secret key bytes. {@code created}: made by this start (the log must then be empty).
   * toString leaves the secrets out.
   */
  public record Keys(byte[] signingKey, byte[] vrfKey, boolean created) {
    public Keys {
      signingKey = signingKey.clone();
      vrfKey = vrfKey.clone();
    }

    @Override
    public byte[] signingKey() {
      return signingKey.clone();
    }

    @Override
    public byte[] vrfKey() {
      return vrfKey.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Keys other
          && created == other.created
          && Arrays.equals(signingKey, other.signingKey)
          && Arrays.equals(vrfKey, other.vrfKey);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(signingKey) * 31 + Arrays.hashCode(vrfKey);
    }

    @Override
    public String toString() {
      return "Keys[created=" + created + "]";
    }
  }
}
