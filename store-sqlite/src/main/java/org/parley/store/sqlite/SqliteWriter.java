package org.parley.store.sqlite;

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
import org.parley.store.jdbc.SqlWork;
import org.parley.store.jdbc.StorageException;

/**
 * The one writer of a SQLite database, with group commit. SQLite runs one write transaction at a
 * time and most of its cost is the commit, so a single thread owns the write connection and runs
 * whatever writes are waiting (up to {@link #MAX_GROUP}) in one {@code BEGIN IMMEDIATE}
 * transaction, each inside its own savepoint when it shares the transaction: a write that fails is
 * rolled back to its savepoint alone, and every caller gets its answer only after the shared
 * COMMIT. {@code BEGIN IMMEDIATE} takes the write lock before the first read, so another process
 * holding the file makes us wait (busy_timeout) instead of failing a read-modify-write step with
 * SQLITE_BUSY halfway.
 *
 * <p>The writer also empties the WAL ({@code wal_checkpoint(TRUNCATE)}) when it opens, at most
 * {@link #CHECKPOINT_INTERVAL_MILLIS} after a write, and when it closes: secure_delete zeroes a
 * deleted row in the page, but the WAL still holds the frames written before the delete (the
 * envelope as it was stored) until it is checkpointed and truncated. Between groups, so that no
 * transaction of ours is open; without waiting for readers, so that a long read cannot stall writes
 * (a checkpoint readers kept from finishing is tried again a little later).
 */
final class SqliteWriter implements AutoCloseable {
  private static final int MAX_GROUP = 64;
  static final long CHECKPOINT_INTERVAL_MILLIS = 1_000;
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  private final Connection connection;
  private final StatementCache statements;
  private final BlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  /** When the oldest write not yet checkpointed committed (nanoTime), or 0 if none. */
  private long dirtySince;

  SqliteWriter(DataSource source, String name) throws SQLException {
    this.connection = source.getConnection();
    this.statements = new StatementCache(connection);
    if (!checkpointNow()) { // a killed server's WAL may still hold what it deleted
      dirtySince = System.nanoTime();
    }
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    thread.start();
  }

  /** Runs the work in a write transaction and returns once it is committed. */
  <T> T write(SqlWork<T> work) {
    return Job.await(writeAsync(work));
  }

  /**
   * Queues the work for a write transaction; the future completes on the writer thread after the
   * commit (failures as unchecked exceptions, a {@link StorageException} for a SQL one).
   */
  <T> CompletableFuture<T> writeAsync(SqlWork<T> work) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
    }
    Job<T> job = new Job<>(work);
    queue.add(job);
    if (closed && queue.remove(job)) { // lost a race with close(): nobody would run it
      return CompletableFuture.failedFuture(new IllegalStateException("the store is closed"));
    }
    return job.future;
  }

  private void run() {
    List<Job<?>> group = new ArrayList<>(MAX_GROUP);
    while (true) {
      try {
        Job<?> first =
            dirtySince == 0
                ? queue.take()
                : queue.poll(
                    Math.max(
                        0, dirtySince + CHECKPOINT_INTERVAL_MILLIS * 1_000_000 - System.nanoTime()),
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        if (first != null) {
          group.add(first);
        }
      } catch (InterruptedException e) {
        return; // close()
      }
      if (!group.isEmpty()) {
        queue.drainTo(group, MAX_GROUP - 1);
        runGroup(group);
        group.clear();
        if (dirtySince == 0) {
          dirtySince = System.nanoTime();
        }
      }
      if (dirtySince != 0
          && System.nanoTime() - dirtySince >= CHECKPOINT_INTERVAL_MILLIS * 1_000_000) {
        dirtySince = checkpointNow() ? 0 : System.nanoTime();
      }
    }
  }

  /** Empties the WAL now, waiting for readers as long as the busy timeout allows. */
  private void checkpoint() throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    }
  }

  /** Tries to empty the WAL without waiting; true if it did. */
  private boolean checkpointNow() {
    try (Statement s = connection.createStatement()) {
      s.execute("PRAGMA busy_timeout = 0");
      try (java.sql.ResultSet r = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        return r.next() && r.getInt(1) == 0;
      } finally {
        s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
      }
    } catch (SQLException e) {
      return false; // a full disk, a busy reader: tried again after the next interval
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
      // a job alone in its transaction needs no savepoint: the transaction is one (two statements
      // fewer per commit, which is most commits when the server is not busy)
      boolean alone = next == group.size() - 1;
      boolean rolledBack = false;
      SQLException broken = null;
      while (next < group.size() && broken == null) {
        Job<?> job = group.get(next++);
        try {
          if (!alone) {
            execute("SAVEPOINT job");
          }
          try {
            job.run(statements.connection());
          } finally {
            statements.jobDone();
          }
          if (!alone) {
            execute("RELEASE job");
          }
        } catch (Throwable t) {
          job.failure = t;
          if (alone) {
            try {
              execute("ROLLBACK"); // the whole transaction was this job's
            } catch (SQLException e) {
              t.addSuppressed(e); // SQLite had rolled it back already
            }
            rolledBack = true;
          } else {
            try {
              execute("ROLLBACK TO job");
              execute("RELEASE job");
            } catch (SQLException e) {
              // SQLite may have rolled the whole transaction back (I/O error, disk full): the
              // group's earlier writes are gone too; the writes after this one get a new one.
              broken = e;
            }
          }
        }
        done.add(job);
      }
      SQLException commitFailure = broken;
      if (commitFailure == null && !rolledBack) {
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
    statements.execute(sql);
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
      checkpoint(); // the readers are closed by now: nothing of what was deleted stays in the WAL
    } catch (SQLException e) {
      // closing the last connection checkpoints again; a disk too full for either keeps the WAL
    }
    statements.close();
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
      future.completeExceptionally(unchecked(e));
    }

    /** Answers the caller once the group's transaction has ended. */
    void complete(SQLException commitFailure) {
      if (failure != null) {
        // rolled back to its savepoint: nothing of it kept
        future.completeExceptionally(unchecked(failure));
      } else if (commitFailure != null) {
        future.completeExceptionally(unchecked(commitFailure));
      } else {
        future.complete(result);
      }
    }

    private static Throwable unchecked(Throwable t) {
      return t instanceof RuntimeException || t instanceof Error
          ? t
          : new StorageException("SQLite write failed: " + t.getMessage(), t);
    }

    static <T> T await(CompletableFuture<T> future) {
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
