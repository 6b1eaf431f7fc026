package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;
import org.parley.server.prekey.PreKeyStore;

/**
 * Prekeys: one {@code device_keys} row per device (signed and last-resort keys) and the one-time
 * keys in {@code one_time_prekeys} / {@code one_time_kyber_prekeys}, oldest first by {@code id}.
 */
final class JdbcPreKeyStore implements PreKeyStore {
  private final Transactions transactions;
  private final Dialect dialect;

  JdbcPreKeyStore(Transactions transactions, Dialect dialect) {
    this.transactions = transactions;
    this.dialect = dialect;
  }

  @Override
  public boolean update(
      AccountId accountId,
      DeviceId deviceId,
      SignedPreKey signedPreKey,
      KyberPreKey lastResortKyberPreKey,
      List<PreKey> preKeys,
      List<KyberPreKey> kyberPreKeys) {
    return transactions.write(
        c -> {
          // Key share: the device cannot be removed under us, yet enqueues and fetches go on.
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?"
                      + dialect.forKeyShare())) {
            s.setString(1, accountId.value());
            s.setInt(2, deviceId.value());
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return false;
              }
            }
          }
          if (signedPreKey != null) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "UPDATE device_keys SET signed_key_id = ?, signed_public_key = ?,"
                        + " signed_signature = ? WHERE account_id = ? AND device_id = ?")) {
              s.setInt(1, signedPreKey.keyId());
              s.setBytes(2, signedPreKey.publicKey());
              s.setBytes(3, signedPreKey.signature());
              s.setString(4, accountId.value());
              s.setInt(5, deviceId.value());
              s.executeUpdate();
            }
          }
          if (lastResortKyberPreKey != null) {
            try (PreparedStatement s =
                c.prepareStatement(
                    "UPDATE device_keys SET last_resort_key_id = ?, last_resort_public_key = ?,"
                        + " last_resort_signature = ? WHERE account_id = ? AND device_id = ?")) {
              s.setInt(1, lastResortKyberPreKey.keyId());
              s.setBytes(2, lastResortKyberPreKey.publicKey());
              s.setBytes(3, lastResortKyberPreKey.signature());
              s.setString(4, accountId.value());
              s.setInt(5, deviceId.value());
              s.executeUpdate();
            }
          }
          putPreKeys(c, accountId, deviceId, preKeys);
          putKyberPreKeys(c, accountId, deviceId, kyberPreKeys);
          return true;
        });
  }

  @Override
  public KeyCounts counts(AccountId accountId, DeviceId deviceId) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT (SELECT count(*) FROM one_time_prekeys"
                      + " WHERE account_id = ? AND device_id = ?),"
                      + " (SELECT count(*) FROM one_time_kyber_prekeys"
                      + " WHERE account_id = ? AND device_id = ?)")) {
            s.setString(1, accountId.value());
            s.setInt(2, deviceId.value());
            s.setString(3, accountId.value());
            s.setInt(4, deviceId.value());
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return new KeyCounts(r.getInt(1), r.getInt(2));
            }
          }
        });
  }

  @Override
  public Optional<DeviceBundle> takeBundle(
      AccountId accountId, DeviceId deviceId, boolean oneTimeKeys) {
    return transactions.write(
        c -> {
          int registrationId;
          byte[] identityKey;
          SignedPreKey signed;
          KyberPreKey lastResort;
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT d.registration_id, d.identity_key, k.signed_key_id, k.signed_public_key,"
                      + " k.signed_signature, k.last_resort_key_id, k.last_resort_public_key,"
                      + " k.last_resort_signature FROM devices d JOIN device_keys k"
                      + " ON k.account_id = d.account_id AND k.device_id = d.device_id"
                      + " WHERE d.account_id = ? AND d.device_id = ?"
                      + dialect.forKeyShare())) {
            s.setString(1, accountId.value());
            s.setInt(2, deviceId.value());
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return Optional.empty();
              }
              registrationId = r.getInt(1);
              identityKey = r.getBytes(2);
              signed = new SignedPreKey(r.getInt(3), r.getBytes(4), r.getBytes(5));
              lastResort = new KyberPreKey(r.getInt(6), r.getBytes(7), r.getBytes(8));
            }
          }
          if (!oneTimeKeys) {
            return Optional.of(
                new DeviceBundle(deviceId, registrationId, identityKey, signed, null, lastResort));
          }
          PreKey preKey = null;
          try (PreparedStatement s =
              c.prepareStatement(takeOldest("one_time_prekeys", "public_key"))) {
            bindDevice(s, accountId, deviceId);
            try (ResultSet r = s.executeQuery()) {
              if (r.next()) {
                preKey = new PreKey(r.getInt(1), r.getBytes(2));
              }
            }
          }
          KyberPreKey kyberPreKey = lastResort;
          try (PreparedStatement s =
              c.prepareStatement(takeOldest("one_time_kyber_prekeys", "public_key, signature"))) {
            bindDevice(s, accountId, deviceId);
            try (ResultSet r = s.executeQuery()) {
              if (r.next()) {
                kyberPreKey = new KyberPreKey(r.getInt(1), r.getBytes(2), r.getBytes(3));
              }
            }
          }
          return Optional.of(
              new DeviceBundle(deviceId, registrationId, identityKey, signed, preKey, kyberPreKey));
        });
  }

  /**
   * Deletes and returns the device's oldest one-time key in one statement. On PostgreSQL the
   * subquery locks the row it picks and skips rows other fetches have locked, so concurrent fetches
   * each get a different key without waiting for one another; on SQLite the write transaction
   * already excludes every other writer.
   */
  private String takeOldest(String table, String columns) {
    return "DELETE FROM "
        + table
        + " WHERE id = (SELECT id FROM "
        + table
        + " WHERE account_id = ? AND device_id = ? ORDER BY id LIMIT 1"
        + dialect.forUpdateSkipLocked()
        + ") RETURNING key_id, "
        + columns;
  }

  private static void bindDevice(PreparedStatement s, AccountId accountId, DeviceId deviceId)
      throws SQLException {
    s.setString(1, accountId.value());
    s.setInt(2, deviceId.value());
  }

  /**
   * Drops all but the last of keys sharing an id: an upsert batch (which PostgreSQL's driver may
   * rewrite into one multi-row INSERT) must not touch the same row twice.
   */
  private static <K> Collection<K> lastPerKeyId(List<K> keys, ToIntFunction<K> keyId) {
    Map<Integer, K> byId = new LinkedHashMap<>();
    for (K key : keys) {
      byId.put(keyId.applyAsInt(key), key);
    }
    return byId.values();
  }

  static void insertSignedKeys(
      Connection c,
      AccountId accountId,
      DeviceId deviceId,
      SignedPreKey signed,
      KyberPreKey lastResort)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO device_keys (account_id, device_id, signed_key_id, signed_public_key,"
                + " signed_signature, last_resort_key_id, last_resort_public_key,"
                + " last_resort_signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      bindDevice(s, accountId, deviceId);
      s.setInt(3, signed.keyId());
      s.setBytes(4, signed.publicKey());
      s.setBytes(5, signed.signature());
      s.setInt(6, lastResort.keyId());
      s.setBytes(7, lastResort.publicKey());
      s.setBytes(8, lastResort.signature());
      s.executeUpdate();
    }
  }

  /** Adds one-time EC keys; a key id already stored is replaced in place (keeping its age). */
  static void putPreKeys(Connection c, AccountId accountId, DeviceId deviceId, List<PreKey> keys)
      throws SQLException {
    if (keys == null || keys.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO one_time_prekeys (account_id, device_id, key_id, public_key)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (account_id, device_id, key_id)"
                + " DO UPDATE SET public_key = excluded.public_key")) {
      for (PreKey key : lastPerKeyId(keys, PreKey::keyId)) {
        bindDevice(s, accountId, deviceId);
        s.setInt(3, key.keyId());
        s.setBytes(4, key.publicKey());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** Adds one-time Kyber keys; a key id already stored is replaced in place (keeping its age). */
  static void putKyberPreKeys(
      Connection c, AccountId accountId, DeviceId deviceId, List<KyberPreKey> keys)
      throws SQLException {
    if (keys == null || keys.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO one_time_kyber_prekeys (account_id, device_id, key_id, public_key,"
                + " signature) VALUES (?, ?, ?, ?, ?) ON CONFLICT (account_id, device_id, key_id)"
                + " DO UPDATE SET public_key = excluded.public_key,"
                + " signature = excluded.signature")) {
      for (KyberPreKey key : lastPerKeyId(keys, KyberPreKey::keyId)) {
        bindDevice(s, accountId, deviceId);
        s.setInt(3, key.keyId());
        s.setBytes(4, key.publicKey());
        s.setBytes(5, key.signature());
        s.addBatch();
      }
      s.executeBatch();
    }
  }
}
