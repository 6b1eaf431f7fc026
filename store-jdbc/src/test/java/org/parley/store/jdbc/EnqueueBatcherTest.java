package org.parley.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch scheduled on a writer thread whose transaction could not begin (SQLite's {@code BEGIN
 * IMMEDIATE} failing: a lock held past the busy timeout, an I/O error) fails the sends waiting for
 * it, and the next send is stored: the batcher does not stay "scheduled" for a job that never ran,
 * which would leave every later send waiting for ever.
 */
class EnqueueBatcherTest {
  /** A writer whose first transaction cannot begin; later ones run the work on the caller. */
  private static final class FirstBeginFails implements Transactions {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public <T> T read(SqlWork<T> work) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> T write(SqlWork<T> work) {
      throw new UnsupportedOperationException();
    }

    @Override
    public <T> CompletableFuture<T> writeAsync(SqlWork<T> work) {
      if (calls.getAndIncrement() == 0) {
        return CompletableFuture.failedFuture(new StorageException("cannot begin", null));
      }
      try {
        return CompletableFuture.completedFuture(work.run(null));
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public boolean hasWriterThread() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void aBatchWhoseTransactionNeverBeganFailsItsSendsAndTheNextSendIsStored() throws Exception {
    FirstBeginFails writer = new FirstBeginFails();
    List<List<String>> stored = new ArrayList<>();
    try (EnqueueBatcher<String, String> batcher =
        EnqueueBatcher.onWriterThread(
            writer,
            (c, jobs) -> {
              stored.add(List.copyOf(jobs));
              return jobs.stream().map(j -> "stored " + j).toList();
            })) {
      CompletableFuture<String> first = batcher.submit("one");
      assertThat(first).isCompletedExceptionally();
      assertThat(stored).isEmpty();

      CompletableFuture<String> second = batcher.submit("two");
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("stored two");
      assertThat(stored).containsExactly(List.of("two"));
    }
  }
}
