package org.parley.client.kt;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.parley.client.ClientException;
import org.parley.client.store.DeviceDatabase;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.user.TrustedHead;

/** The key-transparency tables of the device's state file (V2__key_transparency.sql). */
final class KtStateStore {
  private final DeviceDatabase db;

  KtStateStore(DeviceDatabase db) {
    this.db = db;
  }

  Optional<byte[]> pinnedConfiguration() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT configuration FROM kt_log WHERE id = 1");
          ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
      }
    });
  }

  void pinConfiguration(byte[] configuration) {
    db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO kt_log (id, configuration) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
        s.setBytes(1, configuration);
        return s.executeUpdate();
      }
    });
  }

  /** Keeps the first epoch learned for the pinned log and returns the one kept. */
  long pinEpochMillis(long epochMillis) {
    return db.inTransaction(() -> db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE kt_log SET epoch_millis = COALESCE(epoch_millis, ?) WHERE id = 1")) {
        s.setLong(1, epochMillis);
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement("SELECT epoch_millis FROM kt_log WHERE id = 1");
          ResultSet r = s.executeQuery()) {
        return r.next() ? r.getLong(1) : epochMillis;
      }
    }));
  }

  /** The auditor this device requires, if any: its public key and the largest lag (ms). */
  record RequiredAuditor(byte[] publicKey, long maxLagMillis) {}

  Optional<RequiredAuditor> requiredAuditor() {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT auditor_key, auditor_max_lag FROM kt_log WHERE id = 1 AND auditor_key IS NOT NULL");
          ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(new RequiredAuditor(r.getBytes(1), r.getLong(2)))
            : Optional.empty();
      }
    });
  }

  void requireAuditor(byte[] publicKey, long maxLagMillis) {
    db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
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
    byte[] bytes = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT trusted_head FROM kt_log WHERE id = 1");
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
  void save(TrustedHead head, Label label, String role, LabelState state) {
    db.inTransaction(() -> db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "UPDATE kt_log SET trusted_head = ? WHERE id = 1")) {
        s.setBytes(1, head.encode());
        s.executeUpdate();
      }
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO kt_labels (label, role, state) VALUES (?, ?, ?) ON CONFLICT (label) DO "
              + "UPDATE SET role = excluded.role, state = excluded.state")) {
        s.setString(1, hex(label));
        s.setString(2, role);
        s.setBytes(3, state.encode());
        s.executeUpdate();
      }
      return null;
    }));
  }

  Optional<LabelState> label(Label label) {
    byte[] bytes = db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT state FROM kt_labels WHERE label = ?")) {
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

  /** The labels this device looked up (role contact) with a non-empty monitoring map. */
  List<Label> contactLabels() {
    return db.read(c -> {
      List<Label> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT label FROM kt_labels WHERE role = 'contact'");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new Label(HexFormat.of().parseHex(r.getString(1))));
        }
      }
      return out;
    });
  }

  /** True if an alarm of this kind, subject and message was raised before. */
  boolean raisedBefore(String kind, String subject, String message) {
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM kt_alarms WHERE kind = ? AND"
          + " subject = ? AND message = ? LIMIT 1")) {
        s.setString(1, kind);
        s.setString(2, subject);
        s.setString(3, message);
        try (ResultSet r = s.executeQuery()) {
          return r.next();
        }
      }
    });
  }

  void raise(KtAlarm alarm) {
    db.write(c -> {
      try (PreparedStatement s = c.prepareStatement(
          "INSERT INTO kt_alarms (raised_at, kind, subject, message, evidence) VALUES (?, ?, ?, ?, ?)")) {
        s.setLong(1, alarm.raisedAt());
        s.setString(2, alarm.kind());
        s.setString(3, alarm.subject());
        s.setString(4, alarm.message());
        s.setBytes(5, alarm.evidence());
        return s.executeUpdate();
      }
    });
  }

  List<KtAlarm> alarms() {
    return db.read(c -> {
      List<KtAlarm> out = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(
          "SELECT raised_at, kind, subject, message, evidence FROM kt_alarms ORDER BY id");
          ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new KtAlarm(r.getLong(1), r.getString(2), r.getString(3), r.getString(4),
              r.getBytes(5)));
        }
      }
      return out;
    });
  }

  private static String hex(Label label) {
    return HexFormat.of().formatHex(label.bytes());
  }
}
