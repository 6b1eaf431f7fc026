package org.parley.bench.client;

import java.nio.file.Path;
import org.parley.client.ParleyClient;

/**
 * The first profile open of a fresh JVM (run as a child by {@link ClientBench}): prints the time
 * {@code ParleyClient.open} took and, separately, the first {@code identity()} after it (what every
 * command asks first), then the same for a second open in the same JVM, on one line of {@code
 * key=milliseconds} pairs.
 */
public final class FirstOpen {
  private FirstOpen() {}

  public static void main(String[] args) {
    Path profile = Path.of(args[0]);
    long start = System.nanoTime();
    double open;
    double identity;
    try (ParleyClient client = ParleyClient.open(profile)) {
      open = millisSince(start);
      long asked = System.nanoTime();
      requireRegistered(client);
      identity = millisSince(asked);
    }
    long again = System.nanoTime();
    double second;
    try (ParleyClient client = ParleyClient.open(profile)) {
      requireRegistered(client);
      second = millisSince(again);
    }
    System.out.printf(
        java.util.Locale.ROOT, "open=%.2f identity=%.2f second=%.2f%n", open, identity, second);
  }

  /** Asks what every command asks first: who this device is. */
  static void requireRegistered(ParleyClient client) {
    if (client.identity().isEmpty()) {
      throw new IllegalStateException(client.profileDir() + " holds no registered device");
    }
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }
}
