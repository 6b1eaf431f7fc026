package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.EnqueueResult;
import org.parley.server.message.MessageQueue;
import org.parley.server.message.SharedPart;
import org.parley.server.message.StoredEnvelope;

/**
 * The per-device queues in {@code envelopes}, keyed (account, device, seq). Each device row carries
 * the next seq to hand out; enqueue updates it under the device row's lock, so seqs grow in commit
 * order per device (a database sequence would not: its values are taken before commit, and a reader
 * resuming after seq n could miss a slower transaction's n-1).
 */
final class JdbcMessageQueue implements MessageQueue {
  /** What a read takes of a queued envelope: its row and the shared part its content ends with. */
  private static final String COLUMNS =
      "e.seq, e.id, e.source_account_id, e.source_handle, e.source_device_id, e.type, e.sent_at,"
          + " e.server_timestamp, e.content, e.shared_part, p.content";

  private static final java.util.Comparator<AccountId> BY_VALUE =
      java.util.Comparator.comparing(AccountId::value);

  private final Transactions transactions;
  private final Dialect dialect;
  private final EnqueueBatcher<Write, Object> batcher;

  JdbcMessageQueue(Transactions transactions, Dialect dialect, String name) {
    this.transactions = transactions;
    this.dialect = dialect;
    this.batcher =
        transactions.hasWriterThread()
            ? EnqueueBatcher.onWriterThread(transactions, this::writeSteps)
            : EnqueueBatcher.onOwnThread(name + "-enqueue", this::writeBatch);
  }

  /** Stops taking sends; those still waiting are refused ("the store is closed"). */
  void close() {
    batcher.close();
  }

  /** What waits for a group commit: a send or an acknowledgement. */
  private sealed interface Write permits EnqueueJob, AckJob {}

  /** One send waiting for its batch. */
  private record EnqueueJob(
      AccountId recipient,
      DeviceId excludedDevice,
      Set<DeviceId> withheld,
      List<AddressedEnvelope> envelopes,
      Map<Integer, Integer> requested)
      implements Write {}

  /** One acknowledgement waiting for its batch. */
  private record AckJob(BatchedAcks.Ack ack) implements Write {}

  @Override
  public CompletableFuture<EnqueueResult> enqueueAsync(
      AccountId recipient,
      DeviceId excludedDevice,
      Set<DeviceId> withheld,
      List<AddressedEnvelope> envelopes) {
    Map<Integer, Integer> requested = new TreeMap<>();
    for (AddressedEnvelope e : envelopes) {
      if (requested.put(e.deviceId().value(), e.registrationId()) != null) {
        throw new IllegalArgumentException("two envelopes for device " + e.deviceId());
      }
    }
    return batcher
        .submit(
            new EnqueueJob(recipient, excludedDevice, Set.copyOf(withheld), envelopes, requested))
        .thenApply(EnqueueResult.class::cast);
  }

  /**
   * Stores a batch of sends and acknowledgements in one transaction (group commit): the sends as
   * {@link #prepareSends} and {@link #writeSends}, then the acknowledgements ({@link BatchedAcks}).
   * An acknowledgement only names envelopes already committed, so the order between the two kinds
   * does not matter. With {@link Dialect#arrayWrites()} the writes of the whole batch go as one
   * statement ({@link ArrayWrites}) that deletes the acknowledged envelopes without checking them
   * first; if one acknowledgement then does not hold, that transaction is rolled back and the batch
   * runs again step by step, which checks each before deleting anything.
   */
  private List<Object> writeBatch(List<Write> jobs) {
    if (dialect.arrayWrites()) {
      List<EnqueueJob> sends = sends(jobs);
      List<BatchedAcks.Ack> acks = acks(jobs);
      try {
        return transactions.write(
            c -> {
              PreparedSends prepared = prepareSends(c, sends);
              ArrayWrites.Deleted deleted = ArrayWrites.write(c, prepared, acks);
              List<Boolean> held = BatchedAcks.held(acks, deleted.envelopes());
              if (held.contains(false)) {
                throw AckDidNotHold.INSTANCE; // rolls back
              }
              SharedParts.release(c, deleted.released());
              return results(jobs, prepared.results(), held);
            });
      } catch (AckDidNotHold e) {
        // below: the same batch, each acknowledgement checked before anything is deleted
      }
    }
    return transactions.write(c -> writeSteps(c, jobs));
  }

  /** The batch step by step in the caller's transaction, each acknowledgement checked first. */
  private List<Object> writeSteps(Connection c, List<Write> jobs) throws SQLException {
    List<BatchedAcks.Ack> acks = acks(jobs);
    PreparedSends prepared = prepareSends(c, sends(jobs));
    writeSends(c, prepared);
    List<Boolean> held = acks.isEmpty() ? List.of() : BatchedAcks.apply(c, dialect, acks);
    return results(jobs, prepared.results(), held);
  }

  private static List<EnqueueJob> sends(List<Write> jobs) {
    List<EnqueueJob> sends = new ArrayList<>();
    for (Write job : jobs) {
      if (job instanceof EnqueueJob send) {
        sends.add(send);
      }
    }
    return sends;
  }

  private static List<BatchedAcks.Ack> acks(List<Write> jobs) {
    List<BatchedAcks.Ack> acks = new ArrayList<>();
    for (Write job : jobs) {
      if (job instanceof AckJob ack) {
        acks.add(ack.ack());
      }
    }
    return acks;
  }

  /** The answers in the jobs' order. */
  private static List<Object> results(
      List<Write> jobs, List<EnqueueResult> stored, List<Boolean> held) {
    Iterator<EnqueueResult> s = stored.iterator();
    Iterator<Boolean> h = held.iterator();
    List<Object> results = new ArrayList<>(jobs.size());
    for (Write job : jobs) {
      results.add(job instanceof EnqueueJob ? s.next() : h.next());
    }
    return results;
  }

  /** Thrown out of a one-statement batch to roll it back; carries nothing. */
  private static final class AckDidNotHold extends RuntimeException {
    private static final AckDidNotHold INSTANCE = new AckDidNotHold();

    private AckDidNotHold() {
      super("an acknowledgement did not hold", null, false, false);
    }
  }

  /** The smallest power of two at least {@code n}: how many placeholders a list of n gets. */
  static int padded(int n) {
    return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
  }

  /**
   * A batch's sends checked against the recipients' device rows: each one's answer, the envelopes
   * of those accepted with their seqs, and each advanced device's next seq, keyed (account,
   * device).
   */
  record PreparedSends(
      List<EnqueueResult> results,
      List<Row> toInsert,
      Map<AccountId, Map<Integer, Long>> nextSeqs) {}

  /**
   * An envelope to insert: its row keeps the content's own bytes and, if {@code shared} is not
   * null, the id of the shared part that the rest of the content is (the content ends with it:
   * {@link AddressedEnvelope} checked).
   */
  record Row(StoredEnvelope stored, SharedPart shared) {
    /** The bytes the envelope's row stores itself. */
    byte[] own() {
      byte[] content = stored.envelope().content();
      return shared == null
          ? content
          : Arrays.copyOf(content, content.length - shared.bytes().length);
    }

    String sharedId() {
      return shared == null ? null : shared.id();
    }
  }

  /**
   * Reads (and on PostgreSQL locks) the recipients' device rows once per recipient and checks each
   * send against them in order, handing out seqs to the accepted ones. A send refused for stale
   * devices gets no seqs and does not affect the others. Nothing is written yet.
   */
  private PreparedSends prepareSends(Connection c, List<EnqueueJob> jobs) throws SQLException {
    if (jobs.isEmpty()) {
      return new PreparedSends(List.of(), List.of(), Map.of());
    }
    Map<AccountId, Map<Integer, long[]>> devices = new TreeMap<>(BY_VALUE);
    for (EnqueueJob job : jobs) {
      devices.putIfAbsent(job.recipient(), new TreeMap<>());
    }
    readDevices(c, devices);
    List<EnqueueResult> results = new ArrayList<>(jobs.size());
    List<Row> toInsert = new ArrayList<>();
    Map<AccountId, Map<Integer, Long>> nextSeqs = new TreeMap<>(BY_VALUE);
    for (EnqueueJob job : jobs) {
      Map<Integer, long[]> rows = devices.get(job.recipient());
      EnqueueResult.StaleDevices stale = check(job, rows);
      if (stale != null) {
        results.add(stale);
        continue;
      }
      List<StoredEnvelope> stored = new ArrayList<>(job.envelopes().size());
      Map<Integer, Long> advanced = nextSeqs.computeIfAbsent(job.recipient(), a -> new TreeMap<>());
      for (AddressedEnvelope addressed : job.envelopes()) {
        long[] row = rows.get(addressed.deviceId().value());
        StoredEnvelope envelope =
            new StoredEnvelope(
                row[1]++, job.recipient(), addressed.deviceId(), addressed.envelope());
        stored.add(envelope);
        toInsert.add(new Row(envelope, addressed.shared()));
        advanced.put(addressed.deviceId().value(), row[1]);
      }
      results.add(new EnqueueResult.Stored(stored));
    }
    return new PreparedSends(results, toInsert, nextSeqs);
  }

  /** Inserts the prepared envelopes as one batch and stores the advanced seqs. */
  private static void writeSends(Connection c, PreparedSends prepared) throws SQLException {
    if (prepared.toInsert().isEmpty()) {
      return;
    }
    SharedParts.add(c, SharedParts.refs(prepared.toInsert()));
    insert(c, prepared.toInsert());
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE devices SET next_seq = ? WHERE account_id = ? AND device_id = ?")) {
      for (var account : prepared.nextSeqs().entrySet()) {
        for (var device : account.getValue().entrySet()) {
          s.setLong(1, device.getValue());
          s.setString(2, account.getKey().value());
          s.setInt(3, device.getKey());
          s.addBatch();
        }
      }
      s.executeBatch();
    }
  }

  /**
   * Reads (and on PostgreSQL locks) the device rows of every recipient of a batch in one statement:
   * device -> {registration id, next seq}. The rows are locked in the statement's order, the same
   * for every batch, so batches never deadlock one another. The list of ids is padded to a power of
   * two (repeating the last id) so that a handful of statement shapes serve every batch size and
   * the drivers' statement caches keep them.
   */
  private void readDevices(Connection c, Map<AccountId, Map<Integer, long[]>> devices)
      throws SQLException {
    List<AccountId> recipients = new ArrayList<>(devices.keySet());
    int slots = padded(recipients.size());
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT account_id, device_id, registration_id, next_seq FROM devices"
                + " WHERE account_id IN ("
                + String.join(", ", Collections.nCopies(slots, "?"))
                + ") ORDER BY account_id, device_id"
                + dialect.forNoKeyUpdate())) {
      for (int i = 0; i < slots; i++) {
        s.setString(i + 1, recipients.get(Math.min(i, recipients.size() - 1)).value());
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Map<Integer, long[]> rows = devices.get(AccountId.of(r.getString(1)));
          if (rows != null) {
            rows.put(r.getInt(2), new long[] {r.getInt(3), r.getLong(4)});
          }
        }
      }
    }
  }

  /** Null if the send addresses exactly the recipient's current devices, else what is off. */
  private static EnqueueResult.StaleDevices check(EnqueueJob job, Map<Integer, long[]> rows) {
    List<Integer> missing = new ArrayList<>();
    List<Integer> extra = new ArrayList<>();
    List<Integer> stale = new ArrayList<>();
    for (int device : rows.keySet()) {
      boolean excluded = job.excludedDevice() != null && device == job.excludedDevice().value();
      if (!excluded
          && !job.requested().containsKey(device)
          && !job.withheld().contains(DeviceId.of(device))) {
        missing.add(device);
      }
    }
    job.requested()
        .forEach(
            (device, registrationId) -> {
              long[] row = rows.get(device);
              boolean excluded =
                  job.excludedDevice() != null && device == job.excludedDevice().value();
              if (row == null || excluded) {
                extra.add(device);
              } else if (row[0] != registrationId) {
                stale.add(device);
              }
            });
    if (missing.isEmpty() && extra.isEmpty() && stale.isEmpty()) {
      return null;
    }
    return new EnqueueResult.StaleDevices(missing, extra, stale);
  }

  @Override
  public Optional<StoredEnvelope> enqueueTo(
      AccountId recipient, DeviceId deviceId, Envelope envelope) {
    return transactions.write(
        c -> {
          // The device row, locked as in enqueue, so that seqs still grow in commit order.
          Map<Integer, Long> nextSeq = new HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT next_seq FROM devices WHERE account_id = ? AND device_id = ?"
                      + dialect.forNoKeyUpdate())) {
            s.setString(1, recipient.value());
            s.setInt(2, deviceId.value());
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return Optional.empty();
              }
              nextSeq.put(deviceId.value(), r.getLong(1));
            }
          }
          long seq = nextSeq.get(deviceId.value());
          nextSeq.put(deviceId.value(), seq + 1);
          StoredEnvelope stored = new StoredEnvelope(seq, recipient, deviceId, envelope);
          insert(c, List.of(new Row(stored, null)));
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE devices SET next_seq = ? WHERE account_id = ? AND device_id = ?")) {
            s.setLong(1, nextSeq.get(deviceId.value()));
            s.setString(2, recipient.value());
            s.setInt(3, deviceId.value());
            s.executeUpdate();
          }
          return Optional.of(stored);
        });
  }

  /** Inserts the envelopes as one batch (PostgreSQL's driver rewrites it to multi-row inserts). */
  private static void insert(Connection c, List<Row> envelopes) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO envelopes (account_id, device_id, seq, id, source_account_id,"
                + " source_handle, source_device_id, type, sent_at, server_timestamp, content,"
                + " shared_part) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (Row row : envelopes) {
        StoredEnvelope stored = row.stored();
        Envelope e = stored.envelope();
        s.setString(1, stored.recipientAccountId().value());
        s.setInt(2, stored.recipientDeviceId().value());
        s.setLong(3, stored.seq());
        s.setString(4, e.id());
        if (e.sealed()) { // the server does not know the sender
          s.setNull(5, java.sql.Types.VARCHAR);
          s.setNull(6, java.sql.Types.VARCHAR);
          s.setNull(7, java.sql.Types.INTEGER);
        } else {
          s.setString(5, e.sourceAccountId().value());
          s.setString(6, e.sourceHandle().value());
          s.setInt(7, e.sourceDeviceId().value());
        }
        s.setString(8, e.type().wire());
        s.setLong(9, e.timestamp());
        s.setLong(10, e.serverTimestamp());
        s.setBytes(11, row.own());
        s.setString(12, row.sharedId());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Override
  public List<StoredEnvelope> pending(
      AccountId accountId, DeviceId deviceId, long afterSeq, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM envelopes e LEFT JOIN shared_parts p ON p.id = e.shared_part"
                      + " WHERE e.account_id = ? AND e.device_id = ? AND e.seq > ?"
                      + " ORDER BY e.seq LIMIT ?")) {
            s.setString(1, accountId.value());
            s.setInt(2, deviceId.value());
            s.setLong(3, afterSeq);
            s.setInt(4, limit);
            try (ResultSet r = s.executeQuery()) {
              List<StoredEnvelope> queued = new ArrayList<>();
              while (r.next()) {
                queued.add(new StoredEnvelope(r.getLong(1), accountId, deviceId, envelope(r)));
              }
              return queued;
            }
          }
        });
  }

  @Override
  public boolean acknowledge(AccountId accountId, DeviceId deviceId, List<String> envelopeIds) {
    Set<String> ids = new LinkedHashSet<>(envelopeIds);
    if (ids.isEmpty()) {
      return true;
    }
    CompletableFuture<Object> held =
        batcher.submit(new AckJob(new BatchedAcks.Ack(accountId, deviceId, Set.copyOf(ids))));
    try {
      return (Boolean) held.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public int count(AccountId accountId, DeviceId deviceId) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT count(*) FROM envelopes WHERE account_id = ? AND device_id = ?")) {
            s.setString(1, accountId.value());
            s.setInt(2, deviceId.value());
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getInt(1);
            }
          }
        });
  }

  private static Envelope envelope(ResultSet r) throws SQLException {
    String source = r.getString(3);
    String handle = r.getString(4);
    int device = r.getInt(5);
    boolean sealed = r.wasNull(); // a sealed envelope's source columns are all NULL
    return new Envelope(
        r.getString(2),
        source == null ? null : AccountId.of(source),
        handle == null ? null : Handle.of(handle),
        sealed ? null : DeviceId.of(device),
        type(r.getString(6)),
        r.getLong(7),
        r.getLong(8),
        content(r));
  }

  /** The row's own bytes, then those of the shared part it names. */
  private static byte[] content(ResultSet r) throws SQLException {
    byte[] own = r.getBytes(9);
    String part = r.getString(10);
    if (part == null) {
      return own;
    }
    byte[] shared = r.getBytes(11);
    if (shared == null) { // every path that deletes a part deletes its envelopes first
      throw new IllegalStateException("envelope " + r.getString(2) + " lost its shared part");
    }
    byte[] content = Arrays.copyOf(own, own.length + shared.length);
    System.arraycopy(shared, 0, content, own.length, shared.length);
    return content;
  }

  private static EnvelopeType type(String wire) {
    for (EnvelopeType type : EnvelopeType.values()) {
      if (type.wire().equals(wire)) {
        return type;
      }
    }
    throw new IllegalStateException("unknown envelope type in the store: " + wire);
  }
}
