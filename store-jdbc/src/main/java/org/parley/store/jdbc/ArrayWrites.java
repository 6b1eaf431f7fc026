package org.parley.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.parley.protocol.AccountId;
import org.parley.protocol.message.Envelope;
import org.parley.server.message.StoredEnvelope;

/**
 * A group commit's writes on PostgreSQL as one statement: the envelopes inserted, the advanced seqs
 * stored and the acknowledged envelopes deleted, each list one array parameter. Step by step they
 * were three to four round trips to the database per batch, and the batcher waits on every one, so
 * on two cores the round trips, not the work, set how many batches a second commit.
 *
 * <p>The delete takes every acknowledged id without checking first that each acknowledgement holds
 * (its ids all queued for its device); the caller checks the deleted rows afterwards and rolls the
 * transaction back if one does not ({@link BatchedAcks#held}). The sub-statements of one statement
 * see the same snapshot, so the delete never meets an envelope the insert adds; it locks the rows
 * it deletes in id order (the index's), the order every acknowledgement locks them in.
 */
final class ArrayWrites {
  private static final String SQL =
      "WITH inserted AS (INSERT INTO envelopes (account_id, device_id, seq, id, source_account_id,"
          + " source_handle, source_device_id, type, sent_at, server_timestamp, content)"
          + " SELECT * FROM unnest(?::text[], ?::int4[], ?::int8[], ?::text[], ?::text[],"
          + " ?::text[], ?::int4[], ?::text[], ?::int8[], ?::int8[], ?::bytea[])),"
          + " advanced AS (UPDATE devices d SET next_seq = n.next_seq"
          + " FROM unnest(?::text[], ?::int4[], ?::int8[]) AS n(account_id, device_id, next_seq)"
          + " WHERE d.account_id = n.account_id AND d.device_id = n.device_id)"
          + " DELETE FROM envelopes WHERE id = ANY (?::text[]) RETURNING account_id, device_id, id";

  private ArrayWrites() {}

  /**
   * Writes the batch in the caller's transaction.
   *
   * @return the envelopes the acknowledgements deleted, for the caller to check
   */
  static Set<BatchedAcks.Key> write(
      Connection c,
      List<StoredEnvelope> toInsert,
      Map<AccountId, Map<Integer, Long>> nextSeqs,
      List<BatchedAcks.Ack> acks)
      throws SQLException {
    int n = toInsert.size();
    String[] accounts = new String[n];
    Integer[] devices = new Integer[n];
    Long[] seqs = new Long[n];
    String[] ids = new String[n];
    String[] sourceAccounts = new String[n];
    String[] sourceHandles = new String[n];
    Integer[] sourceDevices = new Integer[n];
    String[] types = new String[n];
    Long[] sentAt = new Long[n];
    Long[] serverTimestamps = new Long[n];
    byte[][] contents = new byte[n][];
    for (int i = 0; i < n; i++) {
      StoredEnvelope stored = toInsert.get(i);
      Envelope e = stored.envelope();
      accounts[i] = stored.recipientAccountId().value();
      devices[i] = stored.recipientDeviceId().value();
      seqs[i] = stored.seq();
      ids[i] = e.id();
      if (!e.sealed()) { // a sealed envelope's source stays NULL: the server does not know it
        sourceAccounts[i] = e.sourceAccountId().value();
        sourceHandles[i] = e.sourceHandle().value();
        sourceDevices[i] = e.sourceDeviceId().value();
      }
      types[i] = e.type().wire();
      sentAt[i] = e.timestamp();
      serverTimestamps[i] = e.serverTimestamp();
      contents[i] = e.content();
    }
    List<String> seqAccounts = new ArrayList<>();
    List<Integer> seqDevices = new ArrayList<>();
    List<Long> seqValues = new ArrayList<>();
    nextSeqs.forEach(
        (account, byDevice) ->
            byDevice.forEach(
                (device, next) -> {
                  seqAccounts.add(account.value());
                  seqDevices.add(device);
                  seqValues.add(next);
                }));
    Set<String> acknowledged = new TreeSet<>();
    for (BatchedAcks.Ack ack : acks) {
      acknowledged.addAll(ack.ids());
    }
    List<Array> arrays = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(SQL)) {
      Object[][] values = {
        accounts,
        devices,
        seqs,
        ids,
        sourceAccounts,
        sourceHandles,
        sourceDevices,
        types,
        sentAt,
        serverTimestamps,
        contents,
        seqAccounts.toArray(String[]::new),
        seqDevices.toArray(Integer[]::new),
        seqValues.toArray(Long[]::new),
        acknowledged.toArray(String[]::new)
      };
      String[] kinds = {
        "text", "int4", "int8", "text", "text", "text", "int4", "text", "int8", "int8", "bytea",
        "text", "int4", "int8", "text"
      };
      for (int i = 0; i < values.length; i++) {
        Array array = c.createArrayOf(kinds[i], values[i]);
        arrays.add(array);
        s.setArray(i + 1, array);
      }
      Set<BatchedAcks.Key> deleted = new HashSet<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          deleted.add(new BatchedAcks.Key(r.getString(1), r.getInt(2), r.getString(3)));
        }
      }
      return deleted;
    } finally {
      for (Array array : arrays) {
        array.free();
      }
    }
  }
}
