package org.parley.client.store;

import java.net.URI;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.link.LinkCode;

/**
 * The one row describing this device. Its {@code state} column says which {@link DeviceRecord} it
 * holds; the columns of the other state are NULL.
 */
public final class DeviceRecordStore {
  private static final String LINKING = "linking";
  private static final String ACTIVE = "active";

  private final DeviceDatabase db;

  public DeviceRecordStore(DeviceDatabase db) {
    this.db = db;
  }

  public Optional<DeviceRecord> load() {
    return db.read(
        c -> {
          try (PreparedStatement st = c.prepareStatement("SELECT * FROM device WHERE id = 1");
              ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(record(rs)) : Optional.empty();
          }
        });
  }

  private DeviceRecord record(ResultSet rs) throws SQLException {
    URI server = URI.create(rs.getString("server_url"));
    String name = rs.getString("device_name");
    String password = db.secrets().openText(Secret.PASSWORD, rs.getObject("password"), 1);
    String state = rs.getString("state");
    return switch (state) {
      case LINKING ->
          new DeviceRecord.Linking(
              server,
              name,
              password,
              LinkCode.of(db.secrets().openText(Secret.LINK_CODE, rs.getObject("link_code"), 1)),
              // getLong reads a missing expiry as 0: long expired, as it was always treated
              Instant.ofEpochMilli(rs.getLong("link_expires_at")));
      case ACTIVE ->
          new DeviceRecord.Active(
              server,
              name,
              password,
              AccountId.of(rs.getString("account_id")),
              Handle.of(rs.getString("handle")),
              DeviceId.of(rs.getInt("device_id")));
      default -> throw new IllegalStateException("unknown device state in device.db: " + state);
    };
  }

  /** Stores (or replaces) the row. */
  public void save(DeviceRecord r) {
    String state;
    String accountId = null;
    String handle = null;
    Integer deviceId = null;
    String linkCode = null;
    Long linkExpiresAt = null;
    switch (r) {
      case DeviceRecord.Linking l -> {
        state = LINKING;
        linkCode = l.linkCode().value();
        linkExpiresAt = l.linkExpiresAt().toEpochMilli();
      }
      case DeviceRecord.Active a -> {
        state = ACTIVE;
        accountId = a.accountId().value();
        handle = a.handle().value();
        deviceId = a.deviceId().value();
      }
    }
    Object[] args = {
      state,
      r.server().toString(),
      r.deviceName(),
      db.secrets().sealText(Secret.PASSWORD, r.password(), 1),
      accountId,
      handle,
      deviceId,
      db.secrets().sealText(Secret.LINK_CODE, linkCode, 1),
      linkExpiresAt,
      System.currentTimeMillis()
    };
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO device (id, state, server_url, device_name, password, account_id,"
                    + " handle, device_id, link_code, link_expires_at, created_at)"
                    + " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET state = excluded.state,"
                    + " server_url = excluded.server_url, device_name = excluded.device_name,"
                    + " password = excluded.password, account_id = excluded.account_id,"
                    + " handle = excluded.handle, device_id = excluded.device_id,"
                    + " link_code = excluded.link_code, link_expires_at = excluded.link_expires_at",
                args));
  }

  /** Forgets a link request that was rejected or expired, so the profile can start over. */
  public void delete() {
    db.write(c -> SqliteProtocolState.execute(c, "DELETE FROM device WHERE id = 1"));
  }
}
