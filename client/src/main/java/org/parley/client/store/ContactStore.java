package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The last device list fetched for each account we talk to (our own included): handle, device ids,
 * registration ids and identity keys, as proven when {@code fetchedAt} says. Used to know which
 * devices to encrypt for, for as long as the proof is relied on (docs/spec/delivery.md, "Sending,
 * step by step").
 */
public final class ContactStore {
  private final DeviceDatabase db;

  public ContactStore(DeviceDatabase db) {
    this.db = db;
  }

  /** One device of a contact as last seen in its account's device list. */
  public record ContactDevice(int deviceId, int registrationId, byte[] identityKey, String name) {}

  /** A contact: its account, handle and devices. */
  public record Contact(
      String accountId, String handle, long fetchedAt, List<ContactDevice> devices) {}

  /** Replaces what is cached for an account: its proven devices, and those refused, with why. */
  public void save(
      String accountId,
      String handle,
      List<ContactDevice> devices,
      java.util.Map<Integer, String> refused) {
    db.inTransaction(
        () ->
            db.write(
                c -> {
                  // a handle released and re-registered names a new account
                  SqliteProtocolState.execute(
                      c,
                      "DELETE FROM contact WHERE handle = ? AND account_id <> ?",
                      handle,
                      accountId);
                  SqliteProtocolState.execute(
                      c,
                      "INSERT INTO contact (account_id, handle, fetched_at) VALUES (?, ?, ?)"
                          + " ON CONFLICT (account_id) DO UPDATE SET handle = excluded.handle,"
                          + " fetched_at = excluded.fetched_at",
                      accountId,
                      handle,
                      System.currentTimeMillis());
                  SqliteProtocolState.execute(
                      c, "DELETE FROM contact_device WHERE account_id = ?", accountId);
                  SqliteProtocolState.execute(
                      c, "DELETE FROM contact_refused WHERE account_id = ?", accountId);
                  for (var r : refused.entrySet()) {
                    SqliteProtocolState.execute(
                        c,
                        "INSERT INTO contact_refused (account_id, device_id, reason)"
                            + " VALUES (?, ?, ?)",
                        accountId,
                        r.getKey(),
                        r.getValue());
                  }
                  for (ContactDevice d : devices) {
                    SqliteProtocolState.execute(
                        c,
                        "INSERT INTO contact_device (account_id, device_id, registration_id,"
                            + " identity_key, name) VALUES (?, ?, ?, ?, ?)",
                        accountId,
                        d.deviceId(),
                        d.registrationId(),
                        d.identityKey(),
                        d.name());
                  }
                  return null;
                }));
  }

  /** Adds one refused device to an account's cached list (its bundle failed its checks). */
  public void refuse(String accountId, int deviceId, String reason) {
    db.inTransaction(
        () ->
            db.write(
                c -> {
                  SqliteProtocolState.execute(
                      c,
                      "INSERT INTO contact_refused (account_id, device_id, reason)"
                          + " SELECT account_id, ?, ? FROM contact WHERE account_id = ?"
                          + " ON CONFLICT (account_id, device_id) DO UPDATE SET"
                          + " reason = excluded.reason",
                      deviceId,
                      reason,
                      accountId);
                  return null;
                }));
  }

  /** The devices the last proof of {@code accountId}'s list refused, by id, with why. */
  public java.util.Map<Integer, String> refused(String accountId) {
    return db.read(
        c -> {
          java.util.Map<Integer, String> out = new java.util.TreeMap<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT device_id, reason FROM contact_refused WHERE account_id = ?")) {
            st.setString(1, accountId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                out.put(rs.getInt(1), rs.getString(2));
              }
            }
          }
          return java.util.Map.copyOf(out);
        });
  }

  /** Marks the cached list of an account as too old to rely on; the next use proves it again. */
  public void expire(String accountId) {
    db.inTransaction(
        () ->
            db.write(
                c -> {
                  SqliteProtocolState.execute(
                      c, "UPDATE contact SET fetched_at = 0 WHERE account_id = ?", accountId);
                  return null;
                }));
  }

  /** A contact's handle and when its list was last fetched, without its devices. */
  public record Binding(String handle, long fetchedAt) {}

  /** The handle bound to {@code accountId} and when, read without the device list. */
  public Optional<Binding> binding(String accountId) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement("SELECT handle, fetched_at FROM contact WHERE account_id = ?")) {
            st.setString(1, accountId);
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(new Binding(rs.getString(1), rs.getLong(2)))
                  : Optional.empty();
            }
          }
        });
  }

  public Optional<Contact> byHandle(String handle) {
    return find("SELECT account_id, handle, fetched_at FROM contact WHERE handle = ?", handle);
  }

  public Optional<Contact> byAccount(String accountId) {
    return find(
        "SELECT account_id, handle, fetched_at FROM contact WHERE account_id = ?", accountId);
  }

  private Optional<Contact> find(String sql, String arg) {
    return db.read(
        c -> {
          String accountId;
          String handle;
          long fetchedAt;
          try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, arg);
            try (ResultSet rs = st.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              accountId = rs.getString(1);
              handle = rs.getString(2);
              fetchedAt = rs.getLong(3);
            }
          }
          List<ContactDevice> devices = new ArrayList<>();
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT device_id, registration_id, identity_key, name FROM contact_device"
                      + " WHERE account_id = ? ORDER BY device_id")) {
            st.setString(1, accountId);
            try (ResultSet rs = st.executeQuery()) {
              while (rs.next()) {
                devices.add(
                    new ContactDevice(rs.getInt(1), rs.getInt(2), rs.getBytes(3), rs.getString(4)));
              }
            }
          }
          return Optional.of(new Contact(accountId, handle, fetchedAt, List.copyOf(devices)));
        });
  }
}
