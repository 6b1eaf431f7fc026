package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.kt.LinkSerial;
import org.parley.server.device.Device;
import org.parley.server.device.DeviceApproval;
import org.parley.server.device.DeviceStore;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;

/** Devices in the {@code devices} table. */
final class JdbcDeviceStore implements DeviceStore {
  static final String COLUMNS =
      "account_id, device_id, name, registration_id, identity_key, password_salt, password_hash,"
          + " created_at, approver_serial, approval_signature, link_serial";

  /** Everything that belongs to a device, deleted with it. */
  private static final List<String> DEVICE_TABLES =
      List.of(
          "envelopes",
          "one_time_prekeys",
          "one_time_kyber_prekeys",
          "device_keys",
          "delivery_credentials");

  private final Transactions transactions;
  private final Dialect dialect;

  JdbcDeviceStore(Transactions transactions, Dialect dialect) {
    this.transactions = transactions;
    this.dialect = dialect;
  }

  @Override
  public List<Device> devices(AccountId accountId) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM devices WHERE account_id = ? ORDER BY device_id")) {
            s.setString(1, accountId.value());
            try (ResultSet r = s.executeQuery()) {
              List<Device> devices = new ArrayList<>();
              while (r.next()) {
                devices.add(device(r));
              }
              return devices;
            }
          }
        });
  }

  @Override
  public Optional<Device> device(AccountId accountId, DeviceId deviceId) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT " + COLUMNS + " FROM devices WHERE account_id = ? AND device_id = ?")) {
            s.setString(1, accountId.value());
            s.setInt(2, deviceId.value());
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(device(r)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Removal remove(AccountId accountId, DeviceId deviceId) {
    return transactions.write(
        c -> {
          // Lock all the account's device rows, in id order as enqueue does: an enqueue holding
          // one commits before we go on and none can start after, so the deletes below see every
          // envelope ever queued for the device; and a concurrent removal of another device of
          // the account waits, so "is it the last one" cannot be answered twice from stale counts.
          List<Integer> ids = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT device_id FROM devices WHERE account_id = ? ORDER BY device_id"
                      + dialect.forUpdate())) {
            s.setString(1, accountId.value());
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                ids.add(r.getInt(1));
              }
            }
          }
          if (!ids.contains(deviceId.value())) {
            return Removal.NO_SUCH_DEVICE;
          }
          if (ids.size() == 1) {
            return Removal.LAST_DEVICE;
          }
          SortedMap<String, Integer> held = SharedParts.heldBy(c, accountId, deviceId);
          for (String table : DEVICE_TABLES) {
            deleteOf(c, table, accountId, deviceId);
          }
          SharedParts.release(c, held); // after its envelopes: a part goes with its last one
          deleteOf(c, "devices", accountId, deviceId);
          JdbcKtStore.markPending(c, accountId); // published by the KT log, like additions
          return Removal.REMOVED;
        });
  }

  private static void deleteOf(Connection c, String table, AccountId accountId, DeviceId deviceId)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM " + table + " WHERE account_id = ? AND device_id = ?")) {
      s.setString(1, accountId.value());
      s.setInt(2, deviceId.value());
      s.executeUpdate();
    }
  }

  /**
   * Stores a new device with all the keys it published and the approval of its identity key; part
   * of registration and link approval.
   */
  static void insert(
      Connection c,
      AccountId accountId,
      DeviceId deviceId,
      LinkSerial serial,
      NewDevice device,
      DeviceApproval approval,
      long createdAt)
      throws SQLException {
    DeviceKeys keys = device.keys();
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO devices ("
                + COLUMNS
                + ", next_seq)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)")) {
      s.setString(1, accountId.value());
      s.setInt(2, deviceId.value());
      s.setString(3, device.name());
      s.setInt(4, keys.registrationId());
      s.setBytes(5, keys.identityKey());
      s.setBytes(6, device.credential().salt());
      s.setBytes(7, device.credential().hash());
      s.setLong(8, createdAt);
      s.setLong(9, approval.approver().value());
      s.setBytes(10, approval.signature());
      s.setLong(11, serial.value());
      s.executeUpdate();
    }
    JdbcPreKeyStore.insertSignedKeys(
        c, accountId, deviceId, keys.signedPreKey(), keys.lastResortKyberPreKey());
    JdbcPreKeyStore.putPreKeys(c, accountId, deviceId, keys.preKeys());
    JdbcPreKeyStore.putKyberPreKeys(c, accountId, deviceId, keys.kyberPreKeys());
    JdbcKtStore.markPending(c, accountId); // the device list changed: the KT log must publish it
  }

  static Device device(ResultSet r) throws SQLException {
    return new Device(
        AccountId.of(r.getString(1)),
        DeviceId.of(r.getInt(2)),
        LinkSerial.of(r.getLong(11)),
        r.getString(3),
        r.getInt(4),
        r.getBytes(5),
        new PasswordHash(r.getBytes(6), r.getBytes(7)),
        r.getLong(8),
        approval(r.getLong(9), r.getBytes(10)));
  }

  /** Null for a device stored before approvals were kept (schema V3). */
  private static DeviceApproval approval(long approver, byte[] signature) {
    return signature == null ? null : new DeviceApproval(LinkSerial.of(approver), signature);
  }
}
