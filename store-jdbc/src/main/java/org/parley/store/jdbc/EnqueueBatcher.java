package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for sends: every send waiting (up to {@link #MAX_BATCH}) is stored in one write
 * transaction, so a busy server pays one commit (and on PostgreSQL one WAL flush and a handful of
 * round trips) per batch instead of per send. Callers get a future that completes only after the
 * commit; nothing waits on a thread but the futures.
 *
 * <p>A batch is never held back to grow: it runs as soon as a send is waiting, and the sends that
 * arrive while a batch commits form the next one. So an idle server answers at once and a busy one
 * batches by itself.
 *
 * <p>Where the batch runs depends on the backend ({@link Transactions#hasWriterThread()}). With a
 * writer thread of its own (SQLite) the batch is a write job on that thread that takes the waiting
 * sends when it runs: a send crosses one thread instead of two, which at one sender was a tenth of
 * the send's cost. Otherwise (PostgreSQL, where a batch blocks on round trips to the database) the
 * batcher has a thread of its own that takes the waiting sends and stores them.
 */
final class EnqueueBatcher<J, R> implements AutoCloseable {
  static final int MAX_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(EnqueueBatcher.class);

  /** A batch's work inside a write transaction: each job's result, in order. */
  @FunctionalInterface
  interface BatchWork<J, R> {
    List<R> run(Connection c, List<J> jobs) throws SQLException;
  }

  private record Pending<J, R>(J job, CompletableFuture<R> answer) {}

  private final BlockingQueue<Pending<J, R>> queue = new LinkedBlockingQueue<>();
  private volatile boolean closed;

  // on the backend's writer thread
  private final Transactions writer;
  private final BatchWork<J, R> work;
  private final AtomicBoolean scheduled = new AtomicBoolean();

  // on a thread of its own
  private final Function<List<J>, List<R>> storeBatch;
  private final Thread thread;

  private EnqueueBatcher(
      Transactions writer,
      BatchWork<J, R> work,
      String name,
      Function<List<J>, List<R>> storeBatch) {
    this.writer = writer;
    this.work = work;
    this.storeBatch = storeBatch;
    this.thread =
        storeBatch == null ? null : Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    if (thread != null) {
      thread.start();
    }
  }

  /** Batches that run as write jobs on the backend's writer thread. */
  static <J, R> EnqueueBatcher<J, R> onWriterThread(Transactions writer, BatchWork<J, R> work) {
    return new EnqueueBatcher<>(writer, work, null, null);
  }

  /**
   * Batches that run on a thread of their own.
   *
   * @param storeBatch stores a batch in one transaction and returns each job's result, in order; it
   *     throws if the transaction failed, and then nothing of the batch was stored
   */
  static <J, R> EnqueueBatcher<J, R> onOwnThread(
      String name, Function<List<J>, List<R>> storeBatch) {
    return new EnqueueBatcher<>(null, null, name, storeBatch);
  }

  CompletableFuture<R> submit(J job) {
    CompletableFuture<R> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(new IllegalStateException("the store is closed"));
      return answer;
    }
    Pending<J, R> pending = new Pending<>(job, answer);
    queue.add(pending);
    if (closed && queue.remove(pending)) { // lost a race with close(): nobody would run it
      answer.completeExceptionally(new IllegalStateException("the store is closed"));
      return answer;
    }
    if (writer != null) {
      schedule();
    }
    return answer;
  }

  /** Makes sure one write job will take what is waiting (at most one is queued at a time). */
  private void schedule() {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    List<Pending<J, R>> batch = new ArrayList<>(); // filled on the writer thread, when it runs
    writer
        .writeAsync(
            c -> {
              // sends submitted from here on schedule the next job
              scheduled.set(false);
              queue.drainTo(batch, MAX_BATCH);
              List<J> jobs = new ArrayList<>(batch.size());
              for (Pending<J, R> p : batch) {
                jobs.add(p.job());
              }
              return jobs.isEmpty() ? List.<R>of() : work.run(c, jobs);
            })
        .whenComplete(
            (results, failure) -> {
              if (failure != null && batch.isEmpty()) {
                // the job never ran (the writer closed, or its transaction could not begin): the
                // next send must schedule another, and those waiting get this job's failure
                scheduled.set(false);
                List<Pending<J, R>> left = new ArrayList<>();
                queue.drainTo(left);
                answer(left, null, failure);
                return;
              }
              answer(batch, results, failure);
              if (!queue.isEmpty()) { // more than one batch was waiting
                schedule();
              }
            });
  }

  private void run() {
    List<Pending<J, R>> batch = new ArrayList<>(MAX_BATCH);
    List<J> jobs = new ArrayList<>(MAX_BATCH);
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return; // close()
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      for (Pending<J, R> p : batch) {
        jobs.add(p.job());
      }
      List<R> results = null;
      Throwable failure = null;
      try {
        results = storeBatch.apply(jobs);
      } catch (Throwable t) { // answered to every caller of the batch: none of it was stored
        failure = t;
      }
      answer(batch, results, failure);
      batch.clear();
      jobs.clear();
    }
  }

  private static <J, R> void answer(List<Pending<J, R>> batch, List<R> results, Throwable failure) {
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<R> answer = batch.get(i).answer();
      try {
        if (failure != null) {
          answer.completeExceptionally(failure);
        } else {
          answer.complete(results.get(i));
        }
      } catch (RuntimeException e) { // a caller's continuation failed: not the batch's concern
        LOG.warn("a continuation of a committed send failed", e);
      }
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<Pending<J, R>> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending<J, R> p : left) {
      p.answer().completeExceptionally(new IllegalStateException("the store is closed"));
    }
  }
}
