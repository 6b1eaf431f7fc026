package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * The acknowledgements of one group commit (docs/spec/api.md, {@code POST /v1/messages/ack}): each
 * is all or nothing, and they share the batch's transaction instead of a commit each. One read
 * finds (and on PostgreSQL locks) every acknowledged envelope that is queued, each acknowledgement
 * is checked in turn, and one batched delete removes the envelopes of those that hold.
 */
final class BatchedAcks {
  /** One device's acknowledgement of some of its envelopes. */
  record Ack(AccountId account, DeviceId device, Set<String> ids) {}

  /** At most this many envelopes per look-up statement. */
  static final int LOOKUP_CHUNK = 128;

  /** One acknowledged envelope and the device it must be queued for. */
  record Key(String account, int device, String id) {}

  private BatchedAcks() {}

  /**
   * Deletes the envelopes of every acknowledgement whose ids are all queued for its device.
   *
   * @return per acknowledgement, in order, whether it held (and its envelopes were deleted)
   */
  static List<Boolean> apply(Connection c, Dialect dialect, List<Ack> acks) throws SQLException {
    TreeSet<String> ids = new TreeSet<>();
    for (Ack ack : acks) {
      ids.addAll(ack.ids());
    }
    Map<Key, String> queued = lookUp(c, dialect, new ArrayList<>(ids));
    List<Boolean> held = held(acks, queued.keySet());
    List<Ack> deleting = new ArrayList<>();
    SortedMap<String, Integer> released = new TreeMap<>();
    for (int i = 0; i < acks.size(); i++) {
      if (held.get(i)) {
        Ack ack = acks.get(i);
        deleting.add(ack);
        for (String id : ack.ids()) {
          SharedParts.count(
              released, queued.get(new Key(ack.account().value(), ack.device().value(), id)));
        }
      }
    }
    if (!deleting.isEmpty()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "DELETE FROM envelopes WHERE id = ?")) { // each one found for its device above
        for (Ack ack : deleting) {
          for (String id : ack.ids()) {
            s.setString(1, id);
            s.addBatch();
          }
        }
        s.executeBatch();
      }
      SharedParts.release(c, released);
    }
    return held;
  }

  /**
   * Per acknowledgement, in order, whether all its envelopes are among {@code queued}. An envelope
   * an earlier acknowledgement of the batch takes is no longer queued for a later one: the same
   * answer as if they had been two transactions.
   */
  static List<Boolean> held(List<Ack> acks, Set<Key> queued) {
    Set<Key> left = new HashSet<>(queued);
    List<Boolean> held = new ArrayList<>(acks.size());
    for (Ack ack : acks) {
      List<Key> keys = new ArrayList<>(ack.ids().size());
      for (String id : ack.ids()) {
        keys.add(new Key(ack.account().value(), ack.device().value(), id));
      }
      boolean all = left.containsAll(keys);
      if (all) {
        keys.forEach(left::remove);
      }
      held.add(all);
    }
    return held;
  }

  /**
   * The keys that name queued envelopes, locking those, each with the shared part its envelope
   * references (or null). The look-up names only the ids (unique across all queues,
   * docs/spec/api.md), so the index on the id alone is the one that can serve it whatever the
   * planner knows of the table (see the migration that made it); the rows' account and device are
   * compared here. Locks are taken in id order, chunk by chunk, by every acknowledgement, so none
   * waits for another in a cycle (another node acknowledging the same envelopes); the ids are ASCII
   * (UUIDs), so the chunks' order here is the database's order. Chunks are padded to a power of two
   * (repeating the last id) so that a handful of statement shapes serve every batch.
   */
  private static Map<Key, String> lookUp(Connection c, Dialect dialect, List<String> ids)
      throws SQLException {
    Map<Key, String> queued = new HashMap<>();
    for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
      int slots = JdbcMessageQueue.padded(chunk.size());
      try (PreparedStatement s = c.prepareStatement(lookUpSql(slots, dialect))) {
        for (int i = 0; i < slots; i++) {
          s.setString(i + 1, chunk.get(Math.min(i, chunk.size() - 1)));
        }
        try (ResultSet r = s.executeQuery()) {
          while (r.next()) {
            queued.put(new Key(r.getString(1), r.getInt(2), r.getString(3)), r.getString(4));
          }
        }
      }
    }
    return queued;
  }

  /** The look-up of {@code slots} ids (package-private for the plan test, AckLookUpPlanIT). */
  static String lookUpSql(int slots, Dialect dialect) {
    return "SELECT account_id, device_id, id, shared_part FROM envelopes WHERE id IN ("
        + String.join(", ", Collections.nCopies(slots, "?"))
        + ") ORDER BY id"
        + dialect.forUpdate();
  }
}
