package org.parley.server.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The server's files are its owner's alone (docs/security.md, "What the server keeps"): its
 * directories 0700, its files 0600. Created that way rather than fixed afterwards, because the
 * process umask (often 022) would otherwise leave a window with the file readable by everybody;
 * existing ones, from before this rule or a careless restore, are tightened on start.
 */
public final class PrivateFiles {
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Creates the directory (and missing parents) as 0700, or tightens an existing one to 0700. */
  public static void directory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir);
      }
      restrict(dir, DIRECTORY);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory " + dir, e);
    }
  }

  /** Creates an empty file as 0600 if it is missing, or tightens an existing one to 0600. */
  public static void file(Path file) {
    try {
      if (posix()) {
        try {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (java.nio.file.FileAlreadyExistsException e) {
          // an existing file: tightened below
        }
      } else if (!Files.exists(file)) {
        Files.createFile(file);
      }
      restrict(file, FILE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file, e);
    }
  }

  /** Tightens the file to 0600 if it exists. */
  public static void ifExists(Path file) {
    try {
      if (Files.exists(file)) {
        restrict(file, FILE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restrict the permissions of " + file, e);
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
    if (posix() && !Files.getPosixFilePermissions(path).equals(mode)) {
      Files.setPosixFilePermissions(path, mode);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
