package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Locale;
import java.util.Optional;

/** The one row describing this device. */
public final class DeviceRecordStore {
  private final DeviceDatabase db;

  public DeviceRecordStore(DeviceDatabase db) {
    this.db = db;
  }

  public Optional<DeviceRecord> load() {
    return db.read(
        c -> {
          try (PreparedStatement st = c.prepareStatement("SELECT * FROM device WHERE id = 1");
              ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            return Optional.of(
                new DeviceRecord(
                    DeviceRecord.State.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                    rs.getString("server_url"),
                    rs.getString("device_name"),
                    db.secrets().openText(Secret.PASSWORD, rs.getObject("password"), 1),
                    rs.getString("account_id"),
                    rs.getString("handle"),
                    (Integer) rs.getObject("device_id"),
                    db.secrets().openText(Secret.LINK_CODE, rs.getObject("link_code"), 1),
                    rs.getObject("link_expires_at") == null
                        ? null
                        : rs.getLong("link_expires_at")));
          }
        });
  }

  /** Stores (or replaces) the row. */
  public void save(DeviceRecord r) {
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
                r.state().name().toLowerCase(Locale.ROOT),
                r.serverUrl(),
                r.deviceName(),
                db.secrets().sealText(Secret.PASSWORD, r.password(), 1),
                r.accountId(),
                r.handle(),
                r.deviceId(),
                db.secrets().sealText(Secret.LINK_CODE, r.linkCode(), 1),
                r.linkExpiresAt(),
                System.currentTimeMillis()));
  }

  /** Forgets a link request that was rejected or expired, so the profile can start over. */
  public void delete() {
    db.write(c -> SqliteProtocolState.execute(c, "DELETE FROM device WHERE id = 1"));
  }
}
