package org.parley.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.parley.protocol.AccountId;
import org.parley.protocol.message.Envelope;
import org.parley.server.message.StoredEnvelope;

/**
 * A group commit on PostgreSQL as one statement, run as its own transaction: one round trip to the
 * database per batch where reading the device rows, writing and committing were three, each waited
 * on by the one batcher (at one sender a batch is a handful of sends, so the round trips, not the
 * work, set the rate).
 *
 * <p>The batch is checked against the recipients' device rows as this server last saw them (the
 * rows it read or wrote in an earlier batch, kept here); the statement locks the current rows (FOR
 * NO KEY UPDATE, in the order every batch locks them) and writes only if they are exactly those:
 * the same devices, registration ids and next seqs. Another writer (a device linked or removed, a
 * single enqueue, another server on the same database) changes one of them, and then the statement
 * writes nothing and the caller runs the batch step by step, reading the rows afresh. So the cache
 * only saves the read; what is stored is decided by rows locked in the statement, as before.
 *
 * <p>Acknowledgements go in the same statement: each deletes its envelopes only if all of them are
 * queued for its device, and the statement answers which held. The statement runs with a plan made
 * once for every batch ({@link Transactions#writeOneStatement} on PostgreSQL), made without the
 * arrays' lengths, so each scan of the queue names the acknowledged ids as one array, {@code id =
 * ANY (...)}, which only the index on the id serves, and compares account and device after it: with
 * them in a join the plan took the primary key's (account, device) range (reading the device's
 * whole queue, 1.6 ms for 80 acknowledgements; see AckLookUpPlanIT), walked the whole id index, or
 * compared each id with every other (17 ms for 256). An envelope named by two acknowledgements of
 * one batch would count for both here, so such a batch is run step by step ({@link #overlap}),
 * which gives it to the first alone.
 */
final class ArrayWrites {
  /** Accounts whose device rows are kept; beyond it the least recently used go. */
  static final int CACHED_ACCOUNTS = 65_536;

  private static final String SQL =
      "WITH expected AS (SELECT * FROM unnest(?::text[], ?::int4[], ?::int4[], ?::int8[],"
          + " ?::int8[]) AS x(account_id, device_id, registration_id, seq_before, seq_after)),"
          + " locked AS (SELECT account_id, device_id, registration_id, next_seq FROM devices"
          + " WHERE account_id = ANY (?::text[]) ORDER BY account_id, device_id FOR NO KEY UPDATE),"
          + " fresh AS (SELECT NOT EXISTS (SELECT 1 FROM locked l FULL JOIN expected x"
          + " ON l.account_id = x.account_id AND l.device_id = x.device_id"
          + " WHERE l.account_id IS NULL OR x.account_id IS NULL"
          + " OR l.registration_id <> x.registration_id OR l.next_seq <> x.seq_before) AS ok),"
          + " advanced AS (UPDATE devices d SET next_seq = x.seq_after FROM expected x"
          + " WHERE (SELECT ok FROM fresh) AND d.account_id = x.account_id"
          + " AND d.device_id = x.device_id AND x.seq_after <> x.seq_before),"
          + " inserted AS (INSERT INTO envelopes (account_id, device_id, seq, id, source_account_id,"
          + " source_handle, source_device_id, type, sent_at, server_timestamp, content)"
          + " SELECT * FROM unnest(?::text[], ?::int4[], ?::int8[], ?::text[], ?::text[],"
          + " ?::text[], ?::int4[], ?::text[], ?::int8[], ?::int8[], ?::bytea[])"
          + " WHERE (SELECT ok FROM fresh)),"
          + " acks AS (SELECT * FROM unnest(?::int4[], ?::text[], ?::int4[], ?::text[])"
          + " AS a(ack, account_id, device_id, id)),"
          + " queued AS MATERIALIZED (SELECT id, account_id, device_id FROM envelopes"
          + " WHERE id = ANY (?::text[])),"
          + " holding AS (SELECT a.ack FROM acks a LEFT JOIN queued q ON q.id = a.id"
          + " GROUP BY a.ack HAVING count(*) FILTER (WHERE q.account_id = a.account_id"
          + " AND q.device_id = a.device_id) = count(*)),"
          + " deleted AS (DELETE FROM envelopes WHERE (SELECT ok FROM fresh) AND id = ANY (CAST(("
          + "SELECT array_agg(a.id) FROM acks a JOIN holding h ON h.ack = a.ack) AS text[])))"
          + " SELECT (SELECT ok FROM fresh), (SELECT array_agg(ack) FROM holding)";

  /** Account -> device -> {registration id, next seq}; on the batcher's thread only. */
  private final Map<AccountId, Map<Integer, long[]>> rows =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<AccountId, Map<Integer, long[]>> eldest) {
          return size() > CACHED_ACCOUNTS;
        }
      };

  /**
   * A copy of the kept device rows of these accounts, each row {registration id, next seq, next
   * seq} (the last stays as it was: the statement's expected seq); null unless all are kept.
   */
  Map<AccountId, Map<Integer, long[]>> kept(Collection<AccountId> accounts) {
    Map<AccountId, Map<Integer, long[]>> copy = new TreeMap<>(JdbcMessageQueue.BY_VALUE);
    for (AccountId account : accounts) {
      Map<Integer, long[]> devices = rows.get(account);
      if (devices == null) {
        return null;
      }
      Map<Integer, long[]> devicesCopy = new TreeMap<>();
      devices.forEach(
          (device, row) -> devicesCopy.put(device, new long[] {row[0], row[1], row[1]}));
      copy.put(account, devicesCopy);
    }
    return copy;
  }

  /** Keeps these rows (as committed) for the next batches; an account without devices is not. */
  void keep(Map<AccountId, Map<Integer, long[]>> committed) {
    committed.forEach(
        (account, devices) -> {
          if (devices.isEmpty()) {
            rows.remove(account);
            return;
          }
          Map<Integer, long[]> kept = new TreeMap<>();
          devices.forEach((device, row) -> kept.put(device, new long[] {row[0], row[1]}));
          rows.put(account, kept);
        });
  }

  /** Forgets these accounts' rows: they changed under this server. */
  void forget(Collection<AccountId> accounts) {
    accounts.forEach(rows::remove);
  }

  /** Whether an envelope id is named by two of the acknowledgements. */
  static boolean overlap(List<BatchedAcks.Ack> acks) {
    Set<String> seen = new HashSet<>();
    for (BatchedAcks.Ack ack : acks) {
      for (String id : ack.ids()) {
        if (!seen.add(id)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Writes the batch as one statement if the recipients' device rows are still {@code devices}'
   * expected ones.
   *
   * @param devices every device of each recipient: {registration id, next seq after the batch, next
   *     seq before it}
   * @return per acknowledgement, in order, whether it held; empty if the rows had changed, and then
   *     nothing was written
   */
  static Optional<List<Boolean>> write(
      Connection c,
      List<StoredEnvelope> toInsert,
      Map<AccountId, Map<Integer, long[]>> devices,
      List<BatchedAcks.Ack> acks)
      throws SQLException {
    List<String> expectedAccounts = new ArrayList<>();
    List<Integer> expectedDevices = new ArrayList<>();
    List<Integer> registrationIds = new ArrayList<>();
    List<Long> seqsBefore = new ArrayList<>();
    List<Long> seqsAfter = new ArrayList<>();
    devices.forEach(
        (account, byDevice) ->
            byDevice.forEach(
                (device, row) -> {
                  expectedAccounts.add(account.value());
                  expectedDevices.add(device);
                  registrationIds.add((int) row[0]);
                  seqsBefore.add(row[2]);
                  seqsAfter.add(row[1]);
                }));
    String[] recipients = new String[devices.size()];
    int r = 0;
    for (AccountId account : devices.keySet()) {
      recipients[r++] = account.value();
    }
    int n = toInsert.size();
    String[] accounts = new String[n];
    Integer[] deviceIds = new Integer[n];
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
      deviceIds[i] = stored.recipientDeviceId().value();
      seqs[i] = stored.seq();
      ids[i] = e.id();
      sourceAccounts[i] = e.sourceAccountId().value();
      sourceHandles[i] = e.sourceHandle().value();
      sourceDevices[i] = e.sourceDeviceId().value();
      types[i] = e.type().wire();
      sentAt[i] = e.timestamp();
      serverTimestamps[i] = e.serverTimestamp();
      contents[i] = e.content();
    }
    List<Integer> ackNumbers = new ArrayList<>();
    List<String> ackAccounts = new ArrayList<>();
    List<Integer> ackDevices = new ArrayList<>();
    List<String> ackIds = new ArrayList<>();
    for (int i = 0; i < acks.size(); i++) {
      BatchedAcks.Ack ack = acks.get(i);
      for (String id : ack.ids()) {
        ackNumbers.add(i);
        ackAccounts.add(ack.account().value());
        ackDevices.add(ack.device().value());
        ackIds.add(id);
      }
    }
    Object[][] values = {
      expectedAccounts.toArray(String[]::new),
      expectedDevices.toArray(Integer[]::new),
      registrationIds.toArray(Integer[]::new),
      seqsBefore.toArray(Long[]::new),
      seqsAfter.toArray(Long[]::new),
      recipients,
      accounts,
      deviceIds,
      seqs,
      ids,
      sourceAccounts,
      sourceHandles,
      sourceDevices,
      types,
      sentAt,
      serverTimestamps,
      contents,
      ackNumbers.toArray(Integer[]::new),
      ackAccounts.toArray(String[]::new),
      ackDevices.toArray(Integer[]::new),
      ackIds.toArray(String[]::new),
      ackIds.toArray(String[]::new)
    };
    String[] kinds = {
      "text", "int4", "int4", "int8", "int8", "text", "text", "int4", "int8", "text", "text",
      "text", "int4", "text", "int8", "int8", "bytea", "int4", "text", "int4", "text", "text",
      "text"
    };
    List<Array> arrays = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(SQL)) {
      for (int i = 0; i < values.length; i++) {
        Array array = c.createArrayOf(kinds[i], values[i]);
        arrays.add(array);
        s.setArray(i + 1, array);
      }
      try (ResultSet result = s.executeQuery()) {
        result.next();
        if (!result.getBoolean(1)) {
          return Optional.empty();
        }
        Set<Integer> holding = new HashSet<>();
        Array held = result.getArray(2);
        if (held != null) {
          for (Object ack : (Object[]) held.getArray()) {
            holding.add(((Number) ack).intValue());
          }
        }
        List<Boolean> answers = new ArrayList<>(acks.size());
        for (int i = 0; i < acks.size(); i++) {
          answers.add(holding.contains(i));
        }
        return Optional.of(answers);
      }
    } finally {
      for (Array array : arrays) {
        array.free();
      }
    }
  }
}
