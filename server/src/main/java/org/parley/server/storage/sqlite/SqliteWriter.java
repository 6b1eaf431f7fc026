package org.parley.server.storage.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import javax.sql.DataSource;
import org.parley.server.storage.jdbc.SqlWork;
import org.parley.server.storage.jdbc.StorageException;

/**
 * The one writer of a SQLite database, with group commit. SQLite runs one write transaction at a
 * time and most of its cost is the commit, so a single thread owns the write connection and runs
 * whatever writes are waiting (up to {@link #MAX_GROUP}) in one {@code BEGIN IMMEDIATE}
 * transaction, each inside its own savepoint: a write that fails is rolled back to its savepoint
 * alone, and every caller gets its answer only after the shared COMMIT. {@code BEGIN IMMEDIATE}
 * takes the write lock before the first read, so another process holding the file makes us wait
 * (busy_timeout) instead of failing a read-modify-write step with SQLITE_BUSY halfway.
 */
final class SqliteWriter implements AutoCloseable {
  private static final int MAX_GROUP = 64;

  private final Connection connection;
  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  SqliteWriter(DataSource source, String name) throws SQLException {
    this.connection = source.getConnection();
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    thread.start();
  }

  /** Runs the work in a write transaction and returns once it is committed. */
  <T> T write(SqlWork<T> work) {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
    Job<T> job = new Job<>(work);
    queue.add(job);
    if (closed && queue.remove(job)) { // lost a race with close(): nobody would run it
      throw new IllegalStateException("the store is closed");
    }
    return job.await();
  }

  private void run() {
    List<Job<?>> group = new ArrayList<>(MAX_GROUP);
    while (true) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        return; // close()
      }
      queue.drainTo(group, MAX_GROUP - 1);
      runGroup(group);
      group.clear();
    }
  }

  private void runGroup(List<Job<?>> group) {
    int next = 0;
    while (next < group.size()) {
      List<Job<?>> done = new ArrayList<>();
      try {
        execute("BEGIN IMMEDIATE");
      } catch (SQLException e) {
        for (Job<?> job : group.subList(next, group.size())) {
          job.fail(e);
        }
        return;
      }
      SQLException broken = null;
      while (next < group.size() && broken == null) {
        Job<?> job = group.get(next++);
        try {
          execute("SAVEPOINT job");
          job.run(connection);
          execute("RELEASE job");
        } catch (Throwable t) {
          job.failure = t;
          try {
            execute("ROLLBACK TO job");
            execute("RELEASE job");
          } catch (SQLException e) {
            // SQLite may have rolled the whole transaction back (I/O error, disk full): the
            // group's earlier writes are gone too; the writes after this one get a new one.
            broken = e;
          }
        }
        done.add(job);
      }
      SQLException commitFailure = broken;
      if (commitFailure == null) {
        try {
          execute("COMMIT");
        } catch (SQLException e) {
          commitFailure = e;
        }
      }
      if (commitFailure != null) {
        rollbackQuietly(commitFailure);
      }
      for (Job<?> job : done) {
        job.complete(commitFailure);
      }
    }
  }

  private void rollbackQuietly(SQLException cause) {
    try {
      execute("ROLLBACK");
    } catch (SQLException e) {
      cause.addSuppressed(e); // "no transaction is active": SQLite already rolled back
    }
  }

  private void execute(String sql) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute(sql);
    }
  }

  @Override
  public synchronized void close() {
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
    List<Job<?>> left = new ArrayList<>();
    queue.drainTo(left);
    for (Job<?> job : left) {
      job.future.completeExceptionally(new IllegalStateException("the store is closed"));
    }
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StorageException("closing the SQLite writer failed: " + e.getMessage(), e);
    }
  }

  /** One caller's write: its work, then (on the writer thread) its outcome, then its answer. */
  private static final class Job<T> {
    private final SqlWork<T> work;
    private final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private Throwable failure;

    Job(SqlWork<T> work) {
      this.work = work;
    }

    void run(Connection c) throws SQLException {
      result = work.run(c);
    }

    void fail(SQLException e) {
      future.completeExceptionally(e);
    }

    /** Answers the caller once the group's transaction has ended. */
    void complete(SQLException commitFailure) {
      if (failure != null) {
        future.completeExceptionally(failure); // rolled back to its savepoint: nothing of it kept
      } else if (commitFailure != null) {
        future.completeExceptionally(commitFailure);
      } else {
        future.complete(result);
      }
    }

    T await() {
      try {
        return future.join();
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
          throw r;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw new StorageException("SQLite write failed: " + cause.getMessage(), cause);
      }
    }
  }
}
