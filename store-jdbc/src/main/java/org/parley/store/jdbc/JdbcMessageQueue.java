package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.EnqueueResult;
import org.parley.server.message.MessageQueue;
import org.parley.server.message.StoredEnvelope;

/**
 * The per-device queues in {@code envelopes}, keyed (account, device, seq). Each device row carries
 * the next seq to hand out; enqueue updates it under the device row's lock, so seqs grow in commit
 * order per device (a database sequence would not: its values are taken before commit, and a reader
 * resuming after seq n could miss a slower transaction's n-1).
 */
final class JdbcMessageQueue implements MessageQueue {
  private static final String COLUMNS =
      "seq, id, source_account_id, source_handle, source_device_id, type, sent_at,"
          + " server_timestamp, content";

  private final Transactions transactions;
  private final Dialect dialect;

  JdbcMessageQueue(Transactions transactions, Dialect dialect) {
    this.transactions = transactions;
    this.dialect = dialect;
  }

  @Override
  public EnqueueResult enqueue(
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
    return transactions.write(
        c -> {
          // The recipient's devices, locked (on PostgreSQL) against removal and against other
          // enqueues to them until we commit; read in id order so lockers never deadlock.
          Map<Integer, Integer> current = new TreeMap<>(); // device -> registration id
          Map<Integer, Long> nextSeq = new HashMap<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT device_id, registration_id, next_seq FROM devices WHERE account_id = ?"
                      + " ORDER BY device_id"
                      + dialect.forNoKeyUpdate())) {
            s.setString(1, recipient.value());
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                int device = r.getInt(1);
                if (excludedDevice == null || device != excludedDevice.value()) {
                  current.put(device, r.getInt(2));
                  nextSeq.put(device, r.getLong(3));
                }
              }
            }
          }
          List<Integer> missing = new ArrayList<>();
          List<Integer> extra = new ArrayList<>();
          List<Integer> stale = new ArrayList<>();
          for (int device : current.keySet()) {
            if (!requested.containsKey(device) && !withheld.contains(DeviceId.of(device))) {
              missing.add(device);
            }
          }
          requested.forEach(
              (device, registrationId) -> {
                Integer known = current.get(device);
                if (known == null) {
                  extra.add(device);
                } else if (!known.equals(registrationId)) {
                  stale.add(device);
                }
              });
          if (!missing.isEmpty() || !extra.isEmpty() || !stale.isEmpty()) {
            return new EnqueueResult.StaleDevices(missing, extra, stale);
          }
          List<StoredEnvelope> stored = insert(c, recipient, envelopes, nextSeq);
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE devices SET next_seq = ? WHERE account_id = ? AND device_id = ?")) {
            for (int device : requested.keySet()) {
              s.setLong(1, nextSeq.get(device));
              s.setString(2, recipient.value());
              s.setInt(3, device);
              s.addBatch();
            }
            s.executeBatch();
          }
          return new EnqueueResult.Stored(stored);
        });
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
          StoredEnvelope stored =
              insert(c, recipient, List.of(new AddressedEnvelope(deviceId, 0, envelope)), nextSeq)
                  .getFirst();
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

  /**
   * Inserts {@code envelopes[i]} into the queue of {@code deviceIds[i]}, taking each seq from
   * {@code nextSeq} (which it advances); the caller holds the device rows' locks and stores the
   * advanced seqs.
   */
  private static List<StoredEnvelope> insert(
      Connection c,
      AccountId recipient,
      List<AddressedEnvelope> envelopes,
      Map<Integer, Long> nextSeq)
      throws SQLException {
    List<StoredEnvelope> stored = new ArrayList<>(envelopes.size());
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO envelopes (account_id, device_id, "
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (AddressedEnvelope addressed : envelopes) {
        DeviceId device = addressed.deviceId();
        Envelope e = addressed.envelope();
        long seq = nextSeq.merge(device.value(), 1L, Long::sum) - 1;
        s.setString(1, recipient.value());
        s.setInt(2, device.value());
        s.setLong(3, seq);
        s.setString(4, e.id());
        s.setString(5, e.sourceAccountId().value());
        s.setString(6, e.sourceHandle().value());
        s.setInt(7, e.sourceDeviceId().value());
        s.setString(8, e.type().wire());
        s.setLong(9, e.timestamp());
        s.setLong(10, e.serverTimestamp());
        s.setBytes(11, e.content());
        s.addBatch();
        stored.add(new StoredEnvelope(seq, recipient, device, e));
      }
      s.executeBatch();
    }
    return stored;
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
                      + " FROM envelopes WHERE account_id = ? AND device_id = ? AND seq > ?"
                      + " ORDER BY seq LIMIT ?")) {
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
    String placeholders = String.join(", ", Collections.nCopies(ids.size(), "?"));
    try {
      return transactions.write(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "DELETE FROM envelopes WHERE account_id = ? AND device_id = ? AND id IN ("
                        + placeholders
                        + ")")) {
              s.setString(1, accountId.value());
              s.setInt(2, deviceId.value());
              int i = 3;
              for (String id : ids) {
                s.setString(i++, id);
              }
              if (s.executeUpdate() != ids.size()) {
                throw new Transactions.Rollback(); // all or nothing
              }
              return true;
            }
          });
    } catch (Transactions.Rollback notAllQueued) {
      return false;
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
    return new Envelope(
        r.getString(2),
        AccountId.of(r.getString(3)),
        Handle.of(r.getString(4)),
        DeviceId.of(r.getInt(5)),
        type(r.getString(6)),
        r.getLong(7),
        r.getLong(8),
        r.getBytes(9));
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
