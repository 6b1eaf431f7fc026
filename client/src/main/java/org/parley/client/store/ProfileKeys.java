package org.parley.client.store;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.ProfileCipher.KdfParameters;
import org.parley.client.store.ProfileCipher.WrappedKey;

/**
 * The {@code profile_key} row, and re-sealing every {@link Secret} value from one codec to another.
 */
final class ProfileKeys {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ProfileKeys() {}

  /** The stored, wrapped key and its random id. */
  record StoredKey(byte[] keyId, WrappedKey wrapped) {}

  static Optional<StoredKey> load(Connection c) throws SQLException {
    try (PreparedStatement st =
            c.prepareStatement(
                "SELECT key_id, memory_kib, iterations, parallelism, salt, wrapped_key"
                    + " FROM profile_key WHERE id = 1");
        ResultSet rs = st.executeQuery()) {
      if (!rs.next()) {
        return Optional.empty();
      }
      KdfParameters kdf = new KdfParameters(rs.getInt(2), rs.getInt(3), rs.getInt(4));
      return Optional.of(
          new StoredKey(rs.getBytes(1), new WrappedKey(kdf, rs.getBytes(5), rs.getBytes(6))));
    }
  }

  /** The id of the stored key, or null if the profile is not encrypted. */
  static byte[] keyId(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT key_id FROM profile_key WHERE id = 1");
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getBytes(1) : null;
    }
  }

  /** Stores a new key (replacing any) and returns its new id. */
  static byte[] store(Connection c, WrappedKey wrapped) throws SQLException {
    byte[] keyId = new byte[16];
    RANDOM.nextBytes(keyId);
    SqliteProtocolState.execute(
        c,
        "INSERT OR REPLACE INTO profile_key (id, key_id, kdf, memory_kib, iterations, parallelism,"
            + " salt, wrapped_key) VALUES (1, ?, 'argon2id', ?, ?, ?, ?, ?)",
        keyId,
        wrapped.kdf().memoryKib(),
        wrapped.kdf().iterations(),
        wrapped.kdf().parallelism(),
        wrapped.salt(),
        wrapped.sealedKey());
    return keyId;
  }

  static void delete(Connection c) throws SQLException {
    SqliteProtocolState.execute(c, "DELETE FROM profile_key WHERE id = 1");
  }

  /** Rewrites every secret value: opened with {@code from}, stored as {@code to} writes it. */
  static void reseal(Connection c, SecretCodec from, SecretCodec to) throws SQLException {
    for (Secret secret : Secret.values()) {
      String keys = String.join(", ", secret.keyColumns());
      List<Object[]> rows = new ArrayList<>();
      try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT "
                      + keys
                      + ", "
                      + secret.column()
                      + " FROM "
                      + secret.table()
                      + " WHERE "
                      + secret.column()
                      + " IS NOT NULL");
          ResultSet rs = st.executeQuery()) {
        int n = secret.keyColumns().size();
        while (rs.next()) {
          Object[] row = new Object[n + 1];
          for (int i = 0; i < n; i++) {
            row[i] = rs.getObject(i + 1);
          }
          row[n] = rs.getObject(n + 1);
          rows.add(row);
        }
      }
      String where =
          String.join(" AND ", secret.keyColumns().stream().map(k -> k + " = ?").toList());
      String update =
          "UPDATE " + secret.table() + " SET " + secret.column() + " = ? WHERE " + where;
      for (Object[] row : rows) {
        Object[] key = java.util.Arrays.copyOf(row, row.length - 1);
        Object stored = row[row.length - 1];
        Object resealed =
            secret.isText()
                ? to.sealText(secret, from.openText(secret, stored, key), key)
                : to.seal(secret, from.open(secret, (byte[]) stored, key), key);
        Object[] args = new Object[key.length + 1];
        args[0] = resealed;
        System.arraycopy(key, 0, args, 1, key.length);
        SqliteProtocolState.execute(c, update, args);
      }
    }
  }
}
