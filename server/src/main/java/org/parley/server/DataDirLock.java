package org.parley.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One server per data directory. Two servers on one directory would both write the store and both
 * publish the key-transparency log from the same keys: two different signed heads, a fork nobody
 * meant. The lock is an operating-system lock on {@code server.lock}, so a killed server releases
 * it with its process; the file holds the owner's pid for the message.
 */
final class DataDirLock implements AutoCloseable {
  static final String FILE = "server.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code dataDir}.
   *
   * @throws IllegalStateException if another server (in any process) holds it
   */
  static DataDirLock acquire(Path dataDir) {
    Path file = dataDir.resolve(FILE);
    FileChannel channel = null;
    try {
      org.parley.server.storage.PrivateFiles.file(file);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another server in this JVM
      }
      if (lock == null) {
        String owner = owner(channel);
        channel.close();
        throw new IllegalStateException(
            "another Parley server"
                + owner
                + " is using the data"
                + " directory "
                + dataDir
                + "; stop it first, or give this one its own --data-dir");
      }
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      channel.force(false);
      return new DataDirLock(channel, lock);
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new UncheckedIOException("cannot lock the data directory " + dataDir, e);
    }
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
