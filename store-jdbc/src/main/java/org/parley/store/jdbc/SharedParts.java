package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.server.message.SharedPart;

/**
 * The bytes every envelope of one group upload ends with, stored once in {@code shared_parts} with
 * the number of queued envelopes that reference them (SQLite V10, PostgreSQL V11). One upload's
 * envelopes may commit in several batches (each recipient account's send is a job of its own), so
 * each batch adds its references with an upsert; every path that deletes envelopes releases theirs
 * in the same transaction, and the one that takes a part to none deletes it. Parts are written in
 * id order on every path, so two transactions never wait for each other's rows in a cycle.
 */
final class SharedParts {
  /** A part and how many envelopes of one batch reference it. */
  record Refs(SharedPart part, int count) {}

  private SharedParts() {}

  /** The parts the rows end with, in id order, each with how many of the rows reference it. */
  static SortedMap<String, Refs> refs(List<JdbcMessageQueue.Row> rows) {
    SortedMap<String, Refs> parts = new TreeMap<>();
    for (JdbcMessageQueue.Row row : rows) {
      if (row.shared() != null) {
        parts.merge(
            row.shared().id(),
            new Refs(row.shared(), 1),
            (a, b) -> new Refs(a.part(), a.count() + b.count()));
      }
    }
    return parts;
  }

  /** Adds each part's references, storing the parts not stored yet. */
  static void add(Connection c, SortedMap<String, Refs> parts) throws SQLException {
    if (parts.isEmpty()) {
      return;
    }
    try (PreparedStatement s = c.prepareStatement(UPSERT)) {
      for (Refs refs : parts.values()) {
        s.setString(1, refs.part().id());
        s.setInt(2, refs.count());
        s.setBytes(3, refs.part().bytes());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /**
   * Adds references to stored parts, inserting a part that is not stored. Known to both SQLite
   * (3.24 and later) and PostgreSQL.
   */
  static final String UPSERT =
      "INSERT INTO shared_parts (id, refs, content) VALUES (?, ?, ?)"
          + " ON CONFLICT (id) DO UPDATE SET refs = shared_parts.refs + excluded.refs";

  /**
   * Drops the given references (part id to how many of its envelopes were deleted) and deletes the
   * parts left with none. Two statements, not one: the delete must see the count the update left,
   * which a concurrent release may have changed since this statement's snapshot (on PostgreSQL the
   * update waits for that release and counts from its result; a delete in the same statement would
   * judge from the older snapshot and keep a part nobody references).
   */
  static void release(Connection c, SortedMap<String, Integer> released) throws SQLException {
    if (released.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement("UPDATE shared_parts SET refs = refs - ? WHERE id = ?")) {
      for (Map.Entry<String, Integer> e : released.entrySet()) {
        s.setInt(1, e.getValue());
        s.setString(2, e.getKey());
        s.addBatch();
      }
      s.executeBatch();
    }
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM shared_parts WHERE id = ? AND refs <= 0")) {
      for (String id : released.keySet()) {
        s.setString(1, id);
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /**
   * The references held by one device's queued envelopes, part id to count: what its removal
   * releases.
   */
  static SortedMap<String, Integer> heldBy(Connection c, AccountId account, DeviceId device)
      throws SQLException {
    SortedMap<String, Integer> held = new TreeMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT shared_part, count(*) FROM envelopes WHERE account_id = ? AND device_id = ?"
                + " AND shared_part IS NOT NULL GROUP BY shared_part")) {
      s.setString(1, account.value());
      s.setInt(2, device.value());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          held.put(r.getString(1), r.getInt(2));
        }
      }
    }
    return held;
  }

  /** Counts one more reference to {@code id} in {@code counts}. */
  static void count(SortedMap<String, Integer> counts, String id) {
    if (id != null) {
      counts.merge(id, 1, Integer::sum);
    }
  }
}
