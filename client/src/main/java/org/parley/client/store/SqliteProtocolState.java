package org.parley.client.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.KeyIdSeries;
import org.parley.crypto.LocalIdentity;
import org.parley.crypto.ProtocolState;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;

/**
 * The crypto module's {@link ProtocolState} in the device's SQLite file. {@link #inTransaction} is
 * a real database transaction (a savepoint when the client already opened one), so a decrypt's
 * session update, prekey consumption and identity record commit together with whatever the client
 * stores about the message.
 */
public final class SqliteProtocolState implements ProtocolState {
  private final DeviceDatabase db;

  public SqliteProtocolState(DeviceDatabase db) {
    this.db = db;
  }

  @Override
  public <T, E extends Exception> T inTransaction(Work<T, E> work) throws E {
    return db.inTransaction(work::run);
  }

  // ---- this device

  @Override
  public Optional<LocalIdentity> loadLocalIdentity() {
    return db.read(
        c -> {
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT key_pair, registration_id FROM local_identity WHERE id = 1");
              ResultSet rs = st.executeQuery()) {
            return rs.next()
                ? Optional.of(
                    new LocalIdentity(
                        db.secrets().open(Secret.LOCAL_KEY_PAIR, rs.getBytes(1), 1), rs.getInt(2)))
                : Optional.empty();
          }
        });
  }

  @Override
  public void storeLocalIdentity(LocalIdentity identity) {
    update(
        "INSERT OR REPLACE INTO local_identity (id, key_pair, registration_id) VALUES (1, ?, ?)",
        db.secrets().seal(Secret.LOCAL_KEY_PAIR, identity.serializedKeyPair(), 1),
        identity.registrationId());
  }

  @Override
  public int lastKeyId(KeyIdSeries series) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT last_id FROM key_id_series WHERE series = ?")) {
            st.setString(1, series.name());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() ? rs.getInt(1) : 0;
            }
          }
        });
  }

  @Override
  public void storeLastKeyId(KeyIdSeries series, int keyId) {
    update(
        "INSERT INTO key_id_series (series, last_id) VALUES (?, ?)"
            + " ON CONFLICT (series) DO UPDATE SET last_id = excluded.last_id",
        series.name(),
        keyId);
  }

  // ---- prekeys

  @Override
  public Optional<byte[]> loadPreKey(int keyId) {
    return record(Secret.PREKEY, "SELECT record FROM prekey WHERE key_id = ?", keyId);
  }

  @Override
  public void storePreKey(int keyId, byte[] record) {
    update(
        "INSERT OR REPLACE INTO prekey (key_id, record) VALUES (?, ?)",
        keyId,
        db.secrets().seal(Secret.PREKEY, record, keyId));
  }

  @Override
  public void removePreKey(int keyId) {
    update("DELETE FROM prekey WHERE key_id = ?", keyId);
  }

  @Override
  public Optional<byte[]> loadSignedPreKey(int keyId) {
    return record(Secret.SIGNED_PREKEY, "SELECT record FROM signed_prekey WHERE key_id = ?", keyId);
  }

  @Override
  public void storeSignedPreKey(int keyId, byte[] record) {
    update(
        "INSERT OR REPLACE INTO signed_prekey (key_id, record) VALUES (?, ?)",
        keyId,
        db.secrets().seal(Secret.SIGNED_PREKEY, record, keyId));
  }

  @Override
  public void removeSignedPreKey(int keyId) {
    update("DELETE FROM signed_prekey WHERE key_id = ?", keyId);
  }

  @Override
  public Optional<byte[]> loadKyberPreKey(int keyId) {
    return record(Secret.KYBER_PREKEY, "SELECT record FROM kyber_prekey WHERE key_id = ?", keyId);
  }

  @Override
  public void storeKyberPreKey(int keyId, byte[] record, boolean lastResort) {
    db.inTransaction(
        () -> {
          // a replaced key's recorded uses belong to the old key
          update("DELETE FROM kyber_prekey_use WHERE kyber_key_id = ?", keyId);
          update(
              "INSERT OR REPLACE INTO kyber_prekey (key_id, record, last_resort) VALUES (?, ?, ?)",
              keyId,
              db.secrets().seal(Secret.KYBER_PREKEY, record, keyId),
              lastResort ? 1 : 0);
          return null;
        });
  }

  @Override
  public boolean isLastResortKyberPreKey(int keyId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT last_resort FROM kyber_prekey WHERE key_id = ?")) {
            st.setInt(1, keyId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next() && rs.getInt(1) == 1;
            }
          }
        });
  }

  @Override
  public void removeKyberPreKey(int keyId) {
    db.inTransaction(
        () -> {
          update("DELETE FROM kyber_prekey_use WHERE kyber_key_id = ?", keyId);
          update("DELETE FROM kyber_prekey WHERE key_id = ?", keyId);
          return null;
        });
  }

  @Override
  public boolean recordLastResortKyberPreKeyUse(
      int kyberPreKeyId, int signedPreKeyId, byte[] baseKey) {
    return update(
            "INSERT OR IGNORE INTO kyber_prekey_use (kyber_key_id, signed_key_id, base_key)"
                + " VALUES (?, ?, ?)",
            kyberPreKeyId,
            signedPreKeyId,
            baseKey.clone())
        == 1;
  }

  // ---- sessions

  @Override
  public Optional<byte[]> loadSession(RemoteAddress address) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT record FROM session WHERE account_id = ? AND device_id = ?")) {
            st.setString(1, address.accountId().value());
            st.setInt(2, address.deviceId().value());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      db.secrets()
                          .open(
                              Secret.SESSION,
                              rs.getBytes(1),
                              address.accountId().value(),
                              address.deviceId().value()))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void storeSession(RemoteAddress address, byte[] record) {
    update(
        "INSERT OR REPLACE INTO session (account_id, device_id, record) VALUES (?, ?, ?)",
        address.accountId().value(),
        address.deviceId().value(),
        db.secrets()
            .seal(Secret.SESSION, record, address.accountId().value(), address.deviceId().value()));
  }

  @Override
  public void deleteSession(RemoteAddress address) {
    update(
        "DELETE FROM session WHERE account_id = ? AND device_id = ?",
        address.accountId().value(),
        address.deviceId().value());
  }

  @Override
  public void deleteSessions(AccountId accountId) {
    update("DELETE FROM session WHERE account_id = ?", accountId.value());
  }

  @Override
  public boolean hasSessions(AccountId accountId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT 1 FROM session WHERE account_id = ? LIMIT 1")) {
            st.setString(1, accountId.value());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next();
            }
          }
        });
  }

  // ---- remote identities

  @Override
  public Optional<IdentityPublicKey> loadRemoteIdentity(RemoteAddress address) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT identity_key FROM remote_identity WHERE account_id = ? AND device_id = ?")) {
            st.setString(1, address.accountId().value());
            st.setInt(2, address.deviceId().value());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(new IdentityPublicKey(rs.getBytes(1)))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void storeRemoteIdentity(RemoteAddress address, IdentityPublicKey identityKey) {
    update(
        "INSERT OR REPLACE INTO remote_identity (account_id, device_id, identity_key, updated_at)"
            + " VALUES (?, ?, ?, ?)",
        address.accountId().value(),
        address.deviceId().value(),
        identityKey.bytes(),
        System.currentTimeMillis());
  }

  @Override
  public void deleteRemoteIdentity(RemoteAddress address) {
    update(
        "DELETE FROM remote_identity WHERE account_id = ? AND device_id = ?",
        address.accountId().value(),
        address.deviceId().value());
  }

  // ---- sender keys

  @Override
  public Optional<byte[]> loadSenderKey(RemoteAddress sender, java.util.UUID distributionId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT record FROM sender_key"
                      + " WHERE account_id = ? AND device_id = ? AND distribution_id = ?")) {
            st.setString(1, sender.accountId().value());
            st.setInt(2, sender.deviceId().value());
            st.setString(3, distributionId.toString());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      db.secrets()
                          .open(
                              Secret.SENDER_KEY,
                              rs.getBytes(1),
                              sender.accountId().value(),
                              sender.deviceId().value(),
                              distributionId.toString()))
                  : Optional.empty();
            }
          }
        });
  }

  @Override
  public void storeSenderKey(RemoteAddress sender, java.util.UUID distributionId, byte[] record) {
    update(
        "INSERT OR REPLACE INTO sender_key (account_id, device_id, distribution_id, record)"
            + " VALUES (?, ?, ?, ?)",
        sender.accountId().value(),
        sender.deviceId().value(),
        distributionId.toString(),
        db.secrets()
            .seal(
                Secret.SENDER_KEY,
                record,
                sender.accountId().value(),
                sender.deviceId().value(),
                distributionId.toString()));
  }

  @Override
  public void deleteSenderKey(RemoteAddress sender, java.util.UUID distributionId) {
    update(
        "DELETE FROM sender_key WHERE account_id = ? AND device_id = ? AND distribution_id = ?",
        sender.accountId().value(),
        sender.deviceId().value(),
        distributionId.toString());
  }

  // ---- plumbing

  private Optional<byte[]> record(Secret secret, String sql, int keyId) {
    return db.read(
        c -> {
          try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setInt(1, keyId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(db.secrets().open(secret, rs.getBytes(1), keyId))
                  : Optional.empty();
            }
          }
        });
  }

  private int update(String sql, Object... args) {
    return db.write(c -> execute(c, sql, args));
  }

  static int execute(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        Object arg = args[i];
        if (arg instanceof byte[] bytes) {
          st.setBytes(i + 1, bytes.clone());
        } else {
          st.setObject(i + 1, arg);
        }
      }
      return st.executeUpdate();
    }
  }
}
