package org.parley.client;

import java.util.function.Predicate;
import java.util.function.Supplier;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.NotPublishedException;

/**
 * Waiting for the key-transparency log to publish what the server already states (a device just
 * linked, a handle just registered): a few epochs at most, never less than a busy server's
 * scheduling jitter.
 */
final class LogWait {
  /** How many epochs to wait for the log to publish what the server already lists. */
  private static final int PUBLICATION_WAIT_EPOCHS = 4;

  /**
   * The least time to wait for it, whatever the epoch: a busy server publishes late, and with short
   * epochs four of them are less than its scheduling jitter. 2 s was not enough on a loaded 2-core
   * machine: PublisherLeaseIT (a registration on one server, published by the other) failed in a
   * full test run with the contact not in the log 2 s after the first search, and FailuresCliIT's
   * first send to a contact who had just registered failed once, likely the same way.
   */
  private static final long MIN_PUBLICATION_WAIT_MILLIS = 5_000;

  private LogWait() {}

  /**
   * Runs a key-transparency check, retrying for a few epochs while the log has not published what
   * the server already states ({@code done} false, or the label not in the log yet).
   */
  static <T> T waitFor(KeyTransparency kt, Supplier<T> check, Predicate<T> done) {
    // the epoch is bounded (KeyTransparency), so the deadline cannot overflow
    long deadline =
        System.currentTimeMillis()
            + Math.max(MIN_PUBLICATION_WAIT_MILLIS, PUBLICATION_WAIT_EPOCHS * kt.epochMillis());
    while (true) {
      T value;
      try {
        value = check.get();
        if (done.test(value) || System.currentTimeMillis() >= deadline) {
          return value;
        }
      } catch (NotPublishedException e) {
        if (System.currentTimeMillis() >= deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(Math.max(50, kt.epochMillis() / 2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted while waiting for the key-transparency log", e);
      }
    }
  }
}
