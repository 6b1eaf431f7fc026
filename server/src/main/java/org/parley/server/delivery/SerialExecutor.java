package org.parley.server.delivery;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one connection's tasks one at a time, in order, on short-lived virtual threads: a thread
 * exists only while the connection has work, so an idle connection costs a queue and a flag, not a
 * parked thread (tens of thousands of idle devices stay connected to one server). Each task
 * happens-before the next (the queue and the flag publish what a task wrote).
 */
final class SerialExecutor implements Executor {
  private static final Executor THREADS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ws-", 0).factory());

  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean shutdown;

  @Override
  public void execute(Runnable task) {
    if (shutdown) {
      throw new RejectedExecutionException("the connection is closed");
    }
    tasks.add(task);
    schedule();
  }

  /** Takes no more tasks; those already queued still run (and find the connection closed). */
  void shutdown() {
    shutdown = true;
  }

  private void schedule() {
    if (running.compareAndSet(false, true)) {
      THREADS.execute(this::drain);
    }
  }

  private void drain() {
    while (true) {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run(); // tasks catch their own failures (Connection.submit)
      }
      running.set(false);
      // a task added after the last poll and before the flag was cleared found it set and left
      // the work to us: take it back unless another drain already has
      if (tasks.isEmpty() || !running.compareAndSet(false, true)) {
        return;
      }
    }
  }
}
