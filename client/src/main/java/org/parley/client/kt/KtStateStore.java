package org.parley.client.kt;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.parley.client.ClientException;
import org.parley.client.KtAlarm;
import org.parley.client.store.DeviceDatabase;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.user.TrustedHead;
import org.parley.protocol.DeviceId;

/** The key-transparency tables of the device's state file (V2__key_transparency.sql). */
final class KtStateStore {
  private final DeviceDatabase db;

  KtStateStore(DeviceDatabase db) {
    this.db = db;
  }

  Optional<byte[]> pinnedConfiguration() {
    return db.read(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement("SELECT configuration FROM kt_log WHERE id = 1");
              ResultSet r = s.executeQuery()) {
            return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
          }
        });
  }

  void pinConfiguration(byte[] configuration) {
    db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO kt_log (id, configuration) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
            s.setBytes(1, configuration);
            return s.executeUpdate();
          }
        });
  }

  /** Keeps the first epoch learned for the pinned log and returns the one kept. */
  long pinEpochMillis(long epochMillis) {
    return db.inTransaction(
        () ->
            db.write(
                c -> {
                  try (PreparedStatement s =
                      c.prepareStatement(
                          "UPDATE kt_log SET epoch_millis = COALESCE(epoch_millis, ?) WHERE id = 1")) {
                    s.setLong(1, epochMillis);
                    s.executeUpdate();
                  }
                  try (PreparedStatement s =
                          c.prepareStatement("SELECT epoch_millis FROM kt_log WHERE id = 1");
                      ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getLong(1) : epochMillis;
                  }
                }));
  }

  /** The auditor this device requires, if any: its public key and the largest lag (ms). */
  record RequiredAuditor(byte[] publicKey, long maxLagMillis) {}

  Optional<RequiredAuditor> requiredAuditor() {
    return db.read(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT auditor_key, auditor_max_lag FROM kt_log WHERE id = 1 AND auditor_key IS NOT NULL");
              ResultSet r = s.executeQuery()) {
            return r.next()
                ? Optional.of(new RequiredAuditor(r.getBytes(1), r.getLong(2)))
                : Optional.empty();
          }
        });
  }

  void requireAuditor(byte[] publicKey, long maxLagMillis) {
    db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE kt_log SET auditor_key = ?, auditor_max_lag = ? WHERE id = 1")) {
            s.setBytes(1, publicKey);
            if (publicKey == null) {
              s.setNull(2, java.sql.Types.INTEGER);
            } else {
              s.setLong(2, maxLagMillis);
            }
            return s.executeUpdate();
          }
        });
  }

  Optional<TrustedHead> trustedHead() {
    byte[] bytes =
        db.read(
            c -> {
              try (PreparedStatement s =
                      c.prepareStatement("SELECT trusted_head FROM kt_log WHERE id = 1");
                  ResultSet r = s.executeQuery()) {
                return r.next() ? r.getBytes(1) : null;
              }
            });
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(TrustedHead.decode(bytes));
    } catch (MalformedEncodingException e) {
      throw new ClientException("the stored key-transparency head is damaged: " + e.getMessage());
    }
  }

  /** Stores a newly verified head together with the label state its response changed. */
  void save(TrustedHead head, Label label, Role role, LabelState state) {
    db.inTransaction(
        () ->
            db.write(
                c -> {
                  try (PreparedStatement s =
                      c.prepareStatement("UPDATE kt_log SET trusted_head = ? WHERE id = 1")) {
                    s.setBytes(1, head.encode());
                    s.executeUpdate();
                  }
                  try (PreparedStatement s =
                      c.prepareStatement(
                          "INSERT INTO kt_labels (label, role, state) VALUES (?, ?, ?) ON CONFLICT (label) DO "
                              + "UPDATE SET role = excluded.role, state = excluded.state")) {
                    s.setString(1, hex(label));
                    s.setString(2, role.storedName());
                    s.setBytes(3, state.encode());
                    s.executeUpdate();
                  }
                  return null;
                }));
  }

  Optional<LabelState> label(Label label) {
    byte[] bytes =
        db.read(
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement("SELECT state FROM kt_labels WHERE label = ?")) {
                s.setString(1, hex(label));
                try (ResultSet r = s.executeQuery()) {
                  return r.next() ? r.getBytes(1) : null;
                }
              }
            });
    if (bytes == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LabelState.decode(bytes));
    } catch (MalformedEncodingException e) {
      throw new ClientException("the stored key-transparency state is damaged: " + e.getMessage());
    }
  }

  /** The labels this device looked up ({@link Role#CONTACT}). */
  List<Label> contactLabels() {
    return db.read(
        c -> {
          List<Label> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement("SELECT label FROM kt_labels WHERE role = ?")) {
            s.setString(1, Role.CONTACT.storedName());
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(new Label(HexFormat.of().parseHex(r.getString(1))));
              }
            }
          }
          return out;
        });
  }

  /** The open alarm of this kind, subject and message, if one was raised before. */
  Optional<KtAlarm> openAlarm(KtAlarm.Kind kind, String subject, String message) {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  SELECT_ALARM
                      + " WHERE kind = ? AND"
                      + " subject = ? AND message = ? AND status = 'open' ORDER BY id LIMIT 1")) {
            s.setString(1, kind.wireName());
            s.setString(2, subject);
            s.setString(3, message);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(alarm(r)) : Optional.empty();
            }
          }
        });
  }

  /** Stores a new alarm, durably (it is evidence); returns it as stored (with its id). */
  KtAlarm raise(KtAlarm alarm) {
    long id = db.inTransactionDurable(() -> raiseRow(alarm));
    return new KtAlarm(
        id,
        alarm.raisedAt(),
        alarm.kind(),
        alarm.subject(),
        alarm.device(),
        alarm.message(),
        alarm.evidence(),
        Optional.empty());
  }

  private long raiseRow(KtAlarm alarm) {
    return db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO kt_alarms (raised_at, kind,"
                      + " subject, device_id, message, evidence) VALUES (?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, alarm.raisedAt());
            s.setString(2, alarm.kind().wireName());
            s.setString(3, alarm.subject());
            s.setObject(4, alarm.device().map(DeviceId::value).orElse(null));
            s.setString(5, alarm.message());
            s.setBytes(6, alarm.evidence());
            s.executeUpdate();
          }
          try (PreparedStatement s = c.prepareStatement("SELECT last_insert_rowid()");
              ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  /**
   * Resolves the open alarms of this kind about {@code subject}'s {@code device}; the rows and
   * their evidence stay. Returns how many it resolved.
   */
  int resolve(KtAlarm.Kind kind, String subject, DeviceId device, KtAlarm.Resolution resolution) {
    return db.inTransactionDurable(() -> resolveRows(kind, subject, device, resolution));
  }

  private int resolveRows(
      KtAlarm.Kind kind, String subject, DeviceId device, KtAlarm.Resolution resolution) {
    return db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE kt_alarms SET status = ?,"
                      + " resolved_at = ?, resolution = ? WHERE kind = ? AND subject = ? AND device_id = ?"
                      + " AND status = 'open'")) {
            s.setString(1, resolution.status().name().toLowerCase(java.util.Locale.ROOT));
            s.setLong(2, resolution.at());
            s.setString(3, resolution.note());
            s.setString(4, kind.wireName());
            s.setString(5, subject);
            s.setInt(6, device.value());
            return s.executeUpdate();
          }
        });
  }

  /** The largest alarm id so far (0 if none): alarms raised later have greater ids. */
  long lastAlarmId() {
    return db.read(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM kt_alarms");
              ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  /** Every alarm, oldest first; or those with an id greater than {@code after}. */
  List<KtAlarm> alarms(long after) {
    return db.read(
        c -> {
          List<KtAlarm> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(SELECT_ALARM + " WHERE id > ? ORDER BY id")) {
            s.setLong(1, after);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(alarm(r));
              }
            }
          }
          return out;
        });
  }

  private static final String SELECT_ALARM =
      "SELECT id, raised_at, kind, subject, device_id,"
          + " message, evidence, status, resolved_at, resolution FROM kt_alarms";

  private static KtAlarm alarm(ResultSet r) throws java.sql.SQLException {
    Object device = r.getObject(5);
    String status = r.getString(8);
    Optional<KtAlarm.Resolution> resolution =
        status.equals("open")
            ? Optional.empty()
            : Optional.of(
                new KtAlarm.Resolution(
                    KtAlarm.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT)),
                    r.getLong(9),
                    r.getString(10) == null ? "" : r.getString(10)));
    return new KtAlarm(
        r.getLong(1),
        r.getLong(2),
        KtAlarm.Kind.fromWireName(r.getString(3)),
        r.getString(4),
        device == null ? Optional.empty() : Optional.of(DeviceId.of(((Number) device).intValue())),
        r.getString(6),
        r.getBytes(7),
        resolution);
  }

  private static String hex(Label label) {
    return HexFormat.of().formatHex(label.bytes());
  }
}
