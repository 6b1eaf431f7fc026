package org.parley.client.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.parley.client.ClientException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The profile directory and the state file with its WAL and shared-memory files, kept owner-only:
 * checked on every open, not only on creation, since a copy, a restore from backup or a umask can
 * loosen them later. Looser modes are tightened (with one warning); files that belong to another
 * user, or modes that cannot be changed, are refused. Where the file system has no POSIX
 * permissions (Windows), nothing is checked: the directory's ACL is inherited.
 */
final class ProfileFiles {
  private static final Logger log = LoggerFactory.getLogger(ProfileFiles.class);
  private static final Set<PosixFilePermission> GROUP_AND_OTHERS =
      EnumSet.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.GROUP_EXECUTE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE,
          PosixFilePermission.OTHERS_EXECUTE);

  private ProfileFiles() {}

  /** The state file's companions that SQLite creates beside it in WAL mode. */
  static List<Path> sidecars(Path file) {
    return List.of(
        file.resolveSibling(file.getFileName() + "-wal"),
        file.resolveSibling(file.getFileName() + "-shm"));
  }

  /**
   * Creates the directory and the file owner-only if they are missing, then checks (and tightens)
   * the modes of the directory, the file and any WAL or shared-memory file.
   *
   * @throws ClientException if a path belongs to another user or its mode cannot be fixed
   */
  static void prepare(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    try {
      if (!Files.isDirectory(dir)) {
        if (posix) {
          Files.createDirectories(
              dir,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
          Files.createDirectories(dir);
        }
      }
      if (!Files.exists(file)) {
        // the file holds private keys: create it owner-only before SQLite writes anything
        if (posix) {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.createFile(file);
        }
      }
    } catch (IOException e) {
      throw new ClientException(
          "cannot create the local state file " + file + ": " + e.getMessage(), e);
    }
    if (posix) {
      List<Path> paths = new ArrayList<>(List.of(dir, file));
      paths.addAll(sidecars(file));
      secure(paths);
    }
  }

  /** Checks again after SQLite opened the file (it may just have created the WAL files). */
  static void recheck(Path file) {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      secure(sidecars(file));
    }
  }

  private static void secure(List<Path> paths) {
    UserPrincipal me = currentUser();
    List<String> fixed = new ArrayList<>();
    for (Path path : paths) {
      if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      boolean link = Files.isSymbolicLink(path);
      if (link && !Files.isDirectory(path)) {
        // a planted link would have its target's mode changed and the profile written there
        throw new ClientException(
            path
                + " is a symbolic link; a profile's files must be plain"
                + " files. Remove it and try again");
      }
      // a linked profile directory is the person's choice: its target is what is checked
      LinkOption[] options =
          link ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
      try {
        UserPrincipal owner = Files.getOwner(path, options);
        if (me != null && !owner.equals(me)) {
          throw new ClientException(
              path
                  + " belongs to "
                  + owner.getName()
                  + ", not to "
                  + me.getName()
                  + " who runs Parley. Run Parley as its owner (a profile is never shared)");
        }
        var view =
            Files.getFileAttributeView(
                path, java.nio.file.attribute.PosixFileAttributeView.class, options);
        Set<PosixFilePermission> mode = view.readAttributes().permissions();
        if (mode.stream().anyMatch(GROUP_AND_OTHERS::contains)) {
          Set<PosixFilePermission> tight = EnumSet.copyOf(mode);
          tight.removeAll(GROUP_AND_OTHERS);
          view.setPermissions(tight);
          fixed.add(path + " (was " + PosixFilePermissions.toString(mode) + ")");
        }
      } catch (IOException e) { // only called where POSIX permissions are supported
        throw new ClientException(
            "cannot make "
                + path
                + " owner-only ("
                + e.getMessage()
                + "). Fix its mode (chmod go= "
                + path
                + ") and try again",
            e);
      }
    }
    if (!fixed.isEmpty()) {
      log.warn(
          "the profile's files were readable by others; made them owner-only: {}",
          String.join(", ", fixed));
    }
  }

  /**
   * The user this process runs as, or null if the system cannot name it. Only called on POSIX file
   * systems, which have a principal lookup service.
   */
  private static UserPrincipal currentUser() {
    try {
      return FileSystems.getDefault()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName(System.getProperty("user.name"));
    } catch (IOException e) {
      return null;
    }
  }
}
