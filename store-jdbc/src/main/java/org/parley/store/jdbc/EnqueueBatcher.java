package org.parley.store.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for sends: one thread takes every send waiting (up to {@link #MAX_BATCH}) and stores
 * them all in one write transaction, so a busy server pays one commit (and on PostgreSQL one WAL
 * flush and a handful of round trips) per batch instead of per send. Callers get a future that
 * completes only after the commit; nothing waits on the thread but the futures.
 *
 * <p>A batch is never held back to grow: the thread runs as soon as a send is waiting, and the
 * sends that arrive while a batch commits form the next one. So an idle server answers at once and
 * a busy one batches by itself.
 */
final class EnqueueBatcher<J, R> implements AutoCloseable {
  static final int MAX_BATCH = 256;
  private static final Logger LOG = LoggerFactory.getLogger(EnqueueBatcher.class);

  private record Pending<J, R>(J job, CompletableFuture<R> answer) {}

  private final BlockingQueue<Pending<J, R>> queue = new LinkedBlockingQueue<>();
  private final Function<List<J>, List<R>> storeBatch;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param storeBatch stores a batch in one transaction and returns each job's result, in order; it
   *     throws if the transaction failed, and then nothing of the batch was stored
   */
  EnqueueBatcher(String name, Function<List<J>, List<R>> storeBatch) {
    this.storeBatch = storeBatch;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    thread.start();
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
    }
    return answer;
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
      batch.clear();
      jobs.clear();
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.interrupt();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Pending<J, R>> left = new ArrayList<>();
    queue.drainTo(left);
    for (Pending<J, R> p : left) {
      p.answer().completeExceptionally(new IllegalStateException("the store is closed"));
    }
  }
}
