package org.parley.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.parley.protocol.message.Envelope;
import org.parley.server.message.StoredEnvelope;

/**
 * A group commit's writes on PostgreSQL as one statement: the shared parts stored, the envelopes
 * inserted, the advanced seqs stored and the acknowledged envelopes deleted, each list one array
 * parameter. Step by step they were three to four round trips to the database per batch, and the
 * batcher waits on every one, so on two cores the round trips, not the work, set how many batches a
 * second commit.
 *
 * <p>The delete takes every acknowledged id without checking first that each acknowledgement holds
 * (its ids all queued for its device); the caller checks the deleted rows afterwards and rolls the
 * transaction back if one does not ({@link BatchedAcks#held}). The sub-statements of one statement
 * see the same snapshot, so the delete never meets an envelope the insert adds; it locks the rows
 * it deletes in id order (the index's), the order every acknowledgement locks them in.
 */
final class ArrayWrites {
  private static final String SQL =
      "WITH parts AS (INSERT INTO shared_parts (id, refs, content)"
          + " SELECT * FROM unnest(?::text[], ?::int4[], ?::bytea[])"
          + " ON CONFLICT (id) DO UPDATE SET refs = shared_parts.refs + excluded.refs),"
          + " inserted AS (INSERT INTO envelopes (account_id, device_id, seq, id, source_account_id,"
          + " source_handle, source_device_id, type, sent_at, server_timestamp, content,"
          + " shared_part)"
          + " SELECT * FROM unnest(?::text[], ?::int4[], ?::int8[], ?::text[], ?::text[],"
          + " ?::text[], ?::int4[], ?::text[], ?::int8[], ?::int8[], ?::bytea[], ?::text[])),"
          + " advanced AS (UPDATE devices d SET next_seq = n.next_seq"
          + " FROM unnest(?::text[], ?::int4[], ?::int8[]) AS n(account_id, device_id, next_seq)"
          + " WHERE d.account_id = n.account_id AND d.device_id = n.device_id)"
          + " DELETE FROM envelopes WHERE id = ANY (?::text[])"
          + " RETURNING account_id, device_id, id, shared_part";

  /**
   * What a batch's statement deleted: the envelopes, for the caller to check, and the references to
   * shared parts they held, for the caller to release once the check passed (in a statement of its
   * own: a part this statement added references to must not be changed twice in one statement,
   * which PostgreSQL does not order).
   */
  record Deleted(Set<BatchedAcks.Key> envelopes, SortedMap<String, Integer> released) {}

  private ArrayWrites() {}

  /**
   * Writes the batch in the caller's transaction.
   *
   * @return the envelopes the acknowledgements deleted, for the caller to check
   */
  static Deleted write(
      Connection c, JdbcMessageQueue.PreparedSends prepared, List<BatchedAcks.Ack> acks)
      throws SQLException {
    List<JdbcMessageQueue.Row> toInsert = prepared.toInsert();
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
    String[] sharedParts = new String[n];
    for (int i = 0; i < n; i++) {
      JdbcMessageQueue.Row row = toInsert.get(i);
      StoredEnvelope stored = row.stored();
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
      contents[i] = row.own();
      sharedParts[i] = row.sharedId();
    }
    SortedMap<String, SharedParts.Refs> parts = SharedParts.refs(toInsert);
    int p = parts.size();
    String[] partIds = new String[p];
    Integer[] partRefs = new Integer[p];
    byte[][] partContents = new byte[p][];
    int k = 0;
    for (SharedParts.Refs refs : parts.values()) { // in id order: see SharedParts
      partIds[k] = refs.part().id();
      partRefs[k] = refs.count();
      partContents[k++] = refs.part().bytes();
    }
    List<String> seqAccounts = new ArrayList<>();
    List<Integer> seqDevices = new ArrayList<>();
    List<Long> seqValues = new ArrayList<>();
    prepared
        .nextSeqs()
        .forEach(
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
        partIds,
        partRefs,
        partContents,
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
        sharedParts,
        seqAccounts.toArray(String[]::new),
        seqDevices.toArray(Integer[]::new),
        seqValues.toArray(Long[]::new),
        acknowledged.toArray(String[]::new)
      };
      String[] kinds = {
        "text", "int4", "bytea", "text", "int4", "int8", "text", "text", "text", "int4", "text",
        "int8", "int8", "bytea", "text", "text", "int4", "int8", "text"
      };
      for (int i = 0; i < values.length; i++) {
        Array array = c.createArrayOf(kinds[i], values[i]);
        arrays.add(array);
        s.setArray(i + 1, array);
      }
      Set<BatchedAcks.Key> deleted = new HashSet<>();
      SortedMap<String, Integer> released = new TreeMap<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          deleted.add(new BatchedAcks.Key(r.getString(1), r.getInt(2), r.getString(3)));
          SharedParts.count(released, r.getString(4));
        }
      }
      return new Deleted(deleted, released);
    } finally {
      for (Array array : arrays) {
        array.free();
      }
    }
  }
}
