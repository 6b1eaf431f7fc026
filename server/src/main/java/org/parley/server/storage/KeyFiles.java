package org.parley.server.storage;

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
 * A pair of the server's secret keys in a directory of the data directory, as raw bytes, such as
 * {@code <dataDir>/kt/signing.key} and {@code vrf.key} (key transparency) or the sealed-sender
 * trust root and signing key. The caller makes new key material; this only keeps it.
 *
 * <p>Both keys are created together or not at all: they are written into {@code <directory>.new/},
 * synced, and the directory is renamed into place in one atomic step, so a crash during the first
 * start leaves either no keys (the next start makes new ones) or both. Once the directory exists
 * its keys are only ever read: a key that is missing, unreadable or of the wrong length stops the
 * server, because a replacement would break what the keys signed ({@link Kind#ifReplaced}).
 */
public final class KeyFiles {
  /**
   * One pair of keys: the directory, what they are for (in messages), their two file names, and
   * what replacing them would break.
   */
  public record Kind(
      String directory, String what, String first, String second, String ifReplaced) {}

  private static final Logger LOG = LoggerFactory.getLogger(KeyFiles.class);
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  private KeyFiles() {}

  /**
   * The keys read from {@code dataDir}, or made by the generators and stored on the first start. A
   * caller that finds {@link Keys#created()} true while what they signed already exists (a log with
   * entries) must refuse to start: the keys that signed it are gone.
   *
   * @throws IllegalStateException naming the file and what to do, if a key cannot be used
   * @throws IllegalArgumentException if a generator gives a key of the wrong length
   */
  public static Keys loadOrCreate(
      Path dataDir,
      Kind kind,
      int firstLength,
      Supplier<byte[]> newFirst,
      int secondLength,
      Supplier<byte[]> newSecond) {
    Path dir = dataDir.resolve(kind.directory());
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      byte[] first = generated(newFirst, firstLength, kind.first());
      byte[] second = generated(newSecond, secondLength, kind.second());
      try {
        if (create(dataDir, kind, first, second)) {
          return new Keys(first, second, true);
        }
      } catch (IOException e) {
        throw new IllegalStateException(
            "cannot create the " + kind.what() + " keys in " + dir + ": " + e.getMessage(), e);
      }
    }
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          dir + " is not a directory; move it away so the server can create its keys there");
    }
    return new Keys(
        read(kind, dir.resolve(kind.first()), firstLength),
        read(kind, dir.resolve(kind.second()), secondLength),
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
  private static boolean create(Path dataDir, Kind kind, byte[] first, byte[] second)
      throws IOException {
    Path dir = dataDir.resolve(kind.directory());
    Files.createDirectories(dataDir);
    Path staging = dataDir.resolve(kind.directory() + ".new");
    deleteRecursively(staging); // an earlier first start died before the rename: never used
    if (posix()) {
      Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
    } else {
      Files.createDirectory(staging);
    }
    write(staging.resolve(kind.first()), first);
    write(staging.resolve(kind.second()), second);
    syncDirectory(staging);
    try {
      Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      deleteRecursively(staging);
      return false;
    }
    syncDirectory(dataDir);
    LOG.info("created the {} keys in {}", kind.what(), dir);
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

  private static byte[] read(Kind kind, Path file, int length) {
    String restore = "; restore it from a backup of the data directory (" + kind.ifReplaced() + ")";
    String name = "the " + kind.what() + " key ";
    if (!Files.exists(file)) {
      throw new IllegalStateException(name + file + " is missing" + restore);
    }
    byte[] key;
    try {
      if (Files.size(file) != length) {
        throw new IllegalStateException(
            name
                + file
                + " holds "
                + Files.size(file)
                + " bytes, not the "
                + length
                + " it should: it is damaged or from"
                + " another configuration"
                + restore);
      }
      key = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name + file + " (" + e + ")" + restore, e);
    }
    if (key.length != length) { // changed between the two looks
      throw new IllegalStateException(name + file + " changed while it was read" + restore);
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
  public record Keys(byte[] first, byte[] second, boolean created) {
    public Keys {
      first = first.clone();
      second = second.clone();
    }

    @Override
    public byte[] first() {
      return first.clone();
    }

    @Override
    public byte[] second() {
      return second.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Keys other
          && created == other.created
          && Arrays.equals(first, other.first)
          && Arrays.equals(second, other.second);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(first) * 31 + Arrays.hashCode(second);
    }

    @Override
    public String toString() {
      return "Keys[created=" + created + "]";
    }
  }
}
