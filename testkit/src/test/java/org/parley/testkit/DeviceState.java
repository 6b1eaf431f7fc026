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
 * A client's state file (device.db), read directly to show what it trusts (the keys libsignal would
 * accept, remote_identity, and why, trusted_key) and what it caches, and written directly where a
 * test damages it.
 */
final class DeviceState {
  private DeviceState() {}

  /** Device id to identity key, of every key the crypto layer trusts for {@code account}. */
  static Map<Integer, byte[]> trustedKeys(Path profile, String account) {
    Map<Integer, byte[]> out = new TreeMap<>();
    query(
        profile,
        "SELECT device_id, identity_key FROM remote_identity WHERE account_id = ?",
        account,
        r -> out.put(r.getInt(1), r.getBytes(2)));
    Map<Integer, byte[]> why = new TreeMap<>();
    query(
        profile,
        "SELECT device_id, identity_key FROM trusted_key WHERE account_id = ?",
        account,
        r -> why.put(r.getInt(1), r.getBytes(2)));
    if (!out.keySet().equals(why.keySet())
        || out.keySet().stream().anyMatch(d -> !Arrays.equals(out.get(d), why.get(d)))) {
      throw new AssertionError(
          "the crypto layer trusts " + out.keySet() + " but the trust records say " + why.keySet());
    }
    return out;
  }

  /** True if any remote device of any account is trusted with {@code key}. */
  static boolean trustsKey(Path profile, byte[] key) {
    List<Boolean> hits = new ArrayList<>();
    query(
        profile,
        "SELECT identity_key FROM remote_identity WHERE account_id <> ?",
        "",
        r -> hits.add(Arrays.equals(r.getBytes(1), key)));
    return hits.contains(true);
  }

  /** The handle the contact cache binds to {@code account}, or null. */
  static String contactHandle(Path profile, String account) {
    List<String> out = new ArrayList<>();
    query(
        profile,
        "SELECT handle FROM contact WHERE account_id = ?",
        account,
        r -> out.add(r.getString(1)));
    return out.isEmpty() ? null : out.getFirst();
  }

  /** The first column of the first row {@code sql} selects, as bytes (it must select one). */
  static byte[] blob(Path profile, String sql, Object... args) {
    List<byte[]> out = new ArrayList<>();
    query(profile, sql, r -> out.add(r.getBytes(1)), args);
    if (out.isEmpty()) {
      throw new AssertionError("no row for " + sql);
    }
    return out.getFirst();
  }

  /** The first column of every row {@code sql} selects, as integers. */
  static List<Integer> ints(Path profile, String sql, Object... args) {
    List<Integer> out = new ArrayList<>();
    query(profile, sql, r -> out.add(r.getInt(1)), args);
    return out;
  }

  /**
   * Changes the state file behind the client's back, as damage or an attacker with the disk would;
   * returns the rows changed.
   */
  static int update(Path profile, String sql, Object... args) {
    try (Connection c = DriverManager.getConnection(url(profile));
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Ages every device list the client proved past its proof window, as if 30 epochs had passed
   * (CachedDeviceListIT shows the window itself): its next send or receipt proves them again.
   */
  static void expireProofs(Path profile) {
    update(profile, "UPDATE contact SET fetched_at = 0");
  }

  private interface Row {
    void read(ResultSet r) throws SQLException;
  }

  private static void query(Path profile, String sql, String arg, Row row) {
    query(profile, sql, row, arg);
  }

  private static void query(Path profile, String sql, Row row, Object... args) {
    try (Connection c = DriverManager.getConnection(url(profile));
        PreparedStatement s = c.prepareStatement(sql)) {
      bind(s, args);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          row.read(r);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void bind(PreparedStatement s, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      s.setObject(i + 1, args[i]);
    }
  }

  private static String url(Path profile) {
    return "jdbc:sqlite:" + profile.resolve("device.db").toAbsolutePath();
  }
}
