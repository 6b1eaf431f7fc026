package org.parley.client.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** The bytes of a state file and its WAL and shared-memory files, as a thief would read them. */
final class RawFiles {
  private RawFiles() {}

  /** The files of the state file {@code file} that exist now. */
  static List<Path> of(Path file) {
    List<Path> files = new ArrayList<>();
    files.add(file);
    files.addAll(ProfileFiles.sidecars(file));
    return files.stream().filter(Files::exists).toList();
  }

  /** The files among {@link #of} that contain {@code needle}. */
  static List<Path> containing(Path file, byte[] needle) {
    List<Path> found = new ArrayList<>();
    for (Path path : of(file)) {
      try {
        if (indexOf(Files.readAllBytes(path), needle) >= 0) {
          found.add(path);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return found;
  }

  static List<Path> containing(Path file, String text) {
    return containing(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The 32-byte windows (every 16 bytes) of {@code record} that occur nowhere in {@code live} and
   * look random (at least 20 distinct byte values). A record larger than a page is split over
   * overflow pages, so it is searched for window by window; windows shared with records still
   * present (identity keys inside a session, say) are left out, since finding them proves nothing.
   */
  static List<byte[]> distinctiveWindows(byte[] record, byte[] live) {
    List<byte[]> windows = new ArrayList<>();
    for (int i = 0; i + 32 <= record.length; i += 16) {
      byte[] window = java.util.Arrays.copyOfRange(record, i, i + 32);
      if (indexOf(live, window) < 0 && distinctBytes(window) >= 20) {
        windows.add(window);
      }
    }
    return windows;
  }

  /** True if any of the windows is in any of the files. */
  static boolean anyIn(Path file, List<byte[]> windows) {
    return windows.stream().anyMatch(w -> !containing(file, w).isEmpty());
  }

  private static int distinctBytes(byte[] bytes) {
    java.util.BitSet seen = new java.util.BitSet(256);
    for (byte b : bytes) {
      seen.set(b & 0xFF);
    }
    return seen.cardinality();
  }

  /** Polls until the condition holds or {@code timeout} passes; returns whether it held. */
  static boolean eventually(BooleanSupplier condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
