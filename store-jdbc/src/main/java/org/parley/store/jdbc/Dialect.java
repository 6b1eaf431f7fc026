package org.parley.store.jdbc;

import java.sql.SQLException;
import java.util.function.Predicate;

/**
 * The few SQL differences between the backends. With {@code rowLocks} off (SQLite, where every
 * write transaction already holds the database's single write lock from its first statement) the
 * locking clauses are empty; on (PostgreSQL) they name the row lock each step needs. With {@code
 * arrayWrites} (PostgreSQL, where every statement is a round trip to another process) a group
 * commit's writes go as one statement with array parameters instead of one statement per step.
 */
public record Dialect(
    boolean rowLocks,
    boolean arrayWrites,
    Predicate<SQLException> uniqueViolation,
    Predicate<SQLException> storageFull) {
  /** Taken by steps that delete the row (device removal) or must exclude everybody else. */
  public String forUpdate() {
    return rowLocks ? " FOR UPDATE" : "";
  }

  /** Taken by steps that update the row without changing its key (enqueue, link approval). */
  public String forNoKeyUpdate() {
    return rowLocks ? " FOR NO KEY UPDATE" : "";
  }

  /** Taken by steps that only need the row to keep existing (key uploads, bundle fetches). */
  public String forKeyShare() {
    return rowLocks ? " FOR KEY SHARE" : "";
  }

  /** Lets concurrent bundle fetches pass each other's one-time keys instead of queueing. */
  public String forUpdateSkipLocked() {
    return rowLocks ? " FOR UPDATE SKIP LOCKED" : "";
  }

  /** One exception (not its causes) says the database could not write for lack of space. */
  public boolean isStorageFull(SQLException e) {
    return storageFull.test(e);
  }

  public boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && uniqueViolation.test(s)) {
        return true;
      }
    }
    return false;
  }
}
