package org.parley.testkit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a client's state file (device.db) directly, only reading it, to show what it trusts: the keys
 * libsignal would accept (remote_identity) and why (trusted_key), and the contact cache.
 */
final class DeviceState {
  private DeviceState() {}

  /** Device id to identity key, of every key the crypto layer trusts for {@code account}. */
  static Map<Integer, byte[]> trustedKeys(Path profile, String account) {
    Map<Integer, byte[]> out = new TreeMap<>();
    query(profile, "SELECT device_id, identity_key FROM remote_identity WHERE account_id = ?",
        account, r -> out.put(r.getInt(1), r.getBytes(2)));
    Map<Integer, byte[]> why = new TreeMap<>();
    query(profile, "SELECT device_id, identity_key FROM trusted_key WHERE account_id = ?",
        account, r -> why.put(r.getInt(1), r.getBytes(2)));
    if (!out.keySet().equals(why.keySet())
        || out.keySet().stream().anyMatch(d -> !Arrays.equals(out.get(d), why.get(d)))) {
      throw new AssertionError("the crypto layer trusts " + out.keySet()
          + " but the trust records say " + why.keySet());
    }
    return out;
  }

  /** True if any remote device of any account is trusted with {@code key}. */
  static boolean trustsKey(Path profile, byte[] key) {
    List<Boolean> hits = new ArrayList<>();
    query(profile, "SELECT identity_key FROM remote_identity WHERE account_id <> ?", "",
        r -> hits.add(Arrays.equals(r.getBytes(1), key)));
    return hits.contains(true);
  }

  /** The handle the contact cache binds to {@code account}, or null. */
  static String contactHandle(Path profile, String account) {
    List<String> out = new ArrayList<>();
    query(profile, "SELECT handle FROM contact WHERE account_id = ?", account,
        r -> out.add(r.getString(1)));
    return out.isEmpty() ? null : out.getFirst();
  }

  private interface Row {
    void read(ResultSet r) throws SQLException;
  }

  private static void query(Path profile, String sql, String arg, Row row) {
    String url = "jdbc:sqlite:" + profile.resolve("device.db").toAbsolutePath();
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, arg);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          row.read(r);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
