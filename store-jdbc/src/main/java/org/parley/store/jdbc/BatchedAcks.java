package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * The acknowledgements of one group commit (docs/spec/api.md, {@code POST /v1/messages/ack}): each
 * is all or nothing, and they share the batch's transaction instead of a commit each. A read per
 * acknowledgement finds (and on PostgreSQL locks) its envelopes that are queued, each is checked in
 * turn, and one batched delete removes the envelopes of those that hold.
 */
final class BatchedAcks {
  /** One device's acknowledgement of some of its envelopes. */
  record Ack(AccountId account, DeviceId device, Set<String> ids) {}

  private BatchedAcks() {}

  /**
   * Deletes the envelopes of every acknowledgement whose ids are all queued for its device.
   *
   * @return per acknowledgement, in order, whether it held (and its envelopes were deleted)
   */
  static List<Boolean> apply(Connection c, Dialect dialect, List<Ack> acks) throws SQLException {
    Set<String> queued = new HashSet<>();
    // every writer locks envelopes by (account, device) and then seq, so none waits for another
    // in a cycle (another node acknowledging the same envelopes)
    List<Ack> ordered = new ArrayList<>(acks);
    ordered.sort(
        java.util.Comparator.comparing((Ack a) -> a.account().value())
            .thenComparingInt(a -> a.device().value()));
    for (Ack ack : ordered) {
      lookUp(c, dialect, ack, queued);
    }
    List<Boolean> held = new ArrayList<>(acks.size());
    List<Ack> deleting = new ArrayList<>();
    for (Ack ack : acks) {
      List<String> keys = new ArrayList<>(ack.ids().size());
      for (String id : ack.ids()) {
        keys.add(key(ack.account().value(), ack.device().value(), id));
      }
      // an envelope an earlier acknowledgement of this batch deletes is no longer queued for
      // this one: the same answer as if they had been two transactions
      boolean all = queued.containsAll(keys);
      if (all) {
        keys.forEach(queued::remove);
        deleting.add(ack);
      }
      held.add(all);
    }
    if (!deleting.isEmpty()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "DELETE FROM envelopes WHERE account_id = ? AND device_id = ? AND id = ?")) {
        for (Ack ack : deleting) {
          for (String id : ack.ids()) {
            s.setString(1, ack.account().value());
            s.setInt(2, ack.device().value());
            s.setString(3, id);
            s.addBatch();
          }
        }
        s.executeBatch();
      }
    }
    return held;
  }

  /**
   * Adds to {@code queued} the keys of the acknowledged envelopes that are queued, locking them.
   */
  private static void lookUp(Connection c, Dialect dialect, Ack ack, Set<String> queued)
      throws SQLException {
    List<String> ids = new ArrayList<>(ack.ids());
    int slots = JdbcMessageQueue.padded(ids.size());
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM envelopes WHERE account_id = ? AND device_id = ? AND id IN ("
                + String.join(", ", Collections.nCopies(slots, "?"))
                + ") ORDER BY seq"
                + dialect.forUpdate())) {
      s.setString(1, ack.account().value());
      s.setInt(2, ack.device().value());
      for (int i = 0; i < slots; i++) {
        s.setString(3 + i, ids.get(Math.min(i, ids.size() - 1))); // padding repeats the last id
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          queued.add(key(ack.account().value(), ack.device().value(), r.getString(1)));
        }
      }
    }
  }

  private static String key(String account, int device, String id) {
    return account + '/' + device + '/' + id;
  }
}
