package org.parley.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One listener per profile. The server keeps one WebSocket per device and closes the older one when
 * a second connects, so a second listener on the same profile would end the first, and each would
 * miss what the other received. The lock is an operating-system lock on {@code listen.lock} in the
 * profile directory, released with its process however it ends; the file holds the owner's pid for
 * the message. Other commands (send, receive, history, ...) do not take it: they share the state
 * file with the listener (SQLite transactions, and the processed-envelope mark that makes each
 * envelope count once), which is the README's workflow.
 */
final class ListenLock implements AutoCloseable {
  static final String FILE = "listen.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private ListenLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code profileDir}.
   *
   * @throws ProfileBusyException if another listener (in any process) holds it
   */
  static ListenLock acquire(Path profileDir) {
    Path file = profileDir.resolve(FILE);
    FileChannel channel = null;
    try {
      channel =
          java.nio.file.Files.exists(file)
              ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
              : FileChannel.open(
                  file,
                  java.util.Set.of(
                      StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                  owner());
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another listener in this JVM
      }
      if (lock == null) {
        String owner = owner(channel);
        channel.close();
        throw new ProfileBusyException(
            "parley listen is already running for the profile "
                + profileDir
                + owner
                + ". Use that one (send and other commands work beside it), or"
                + " stop it first");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      return new ListenLock(channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UncheckedIOException("cannot lock the profile " + profileDir, e);
    }
  }

  private static java.nio.file.attribute.FileAttribute<?>[] owner() {
    return java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
        ? new java.nio.file.attribute.FileAttribute<?>[] {
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        }
        : new java.nio.file.attribute.FileAttribute<?>[0];
  }

  private static String owner(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String pid =
          new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
      return pid.matches("[0-9]{1,19}") ? " (pid " + pid + ")" : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
