package org.parley.server.storage.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Json;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkStatus;
import org.parley.server.device.DeviceApproval;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.link.ApproverRemovedException;
import org.parley.server.link.LinkStore;
import org.parley.server.link.PendingLink;
import org.parley.server.link.TooManyDevicesException;

/**
 * Links in the {@code links} table. The waiting device's keys are kept as their JSON wire form:
 * they are only ever read back whole, on approval.
 */
final class JdbcLinkStore implements LinkStore {
  private static final String COLUMNS =
      "code, device_name, password_salt, password_hash, device_keys, created_at, expires_at,"
          + " state, account_id, device_id";
  private static final int TOO_MANY_DEVICES = -1;
  private static final int NOT_PENDING = 0;
  private static final int APPROVER_REMOVED = -2;

  private final Transactions transactions;
  private final Dialect dialect;

  JdbcLinkStore(Transactions transactions, Dialect dialect) {
    this.transactions = transactions;
    this.dialect = dialect;
  }

  @Override
  public void create(PendingLink link) {
    transactions.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO links (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            NewDevice device = link.device();
            s.setString(1, link.code().value());
            s.setString(2, device.name());
            s.setBytes(3, device.credential().salt());
            s.setBytes(4, device.credential().hash());
            s.setString(5, Json.writeString(device.keys()));
            s.setLong(6, device.createdAt());
            s.setLong(7, link.expiresAt());
            s.setString(8, link.state().wire());
            s.setString(9, link.accountId() == null ? null : link.accountId().value());
            if (link.deviceId() == null) {
              s.setNull(10, java.sql.Types.INTEGER);
            } else {
              s.setInt(10, link.deviceId().value());
            }
            return s.executeUpdate();
          }
        });
  }

  @Override
  public Optional<PendingLink> get(LinkCode code) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT " + COLUMNS + " FROM links WHERE code = ?")) {
            s.setString(1, code.value());
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(link(r)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<DeviceId> approve(
      LinkCode code, AccountId accountId, DeviceApproval approval, long now)
      throws TooManyDevicesException, ApproverRemovedException {
    int added =
        transactions.write(
            c -> {
              // Lock order everywhere: the link, then the account.
              PendingLink link;
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT "
                          + COLUMNS
                          + " FROM links WHERE code = ?"
                          + dialect.forNoKeyUpdate())) {
                s.setString(1, code.value());
                try (ResultSet r = s.executeQuery()) {
                  if (!r.next()) {
                    return NOT_PENDING;
                  }
                  link = link(r);
                }
              }
              if (link.state() != LinkStatus.State.PENDING || now >= link.expiresAt()) {
                return NOT_PENDING;
              }
              int next;
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT next_device_id FROM accounts WHERE id = ?"
                          + dialect.forNoKeyUpdate())) {
                s.setString(1, accountId.value());
                try (ResultSet r = s.executeQuery()) {
                  if (!r.next()) {
                    throw new IllegalArgumentException("no account " + accountId);
                  }
                  next = r.getInt(1);
                }
              }
              if (next > DeviceId.MAX) {
                return TOO_MANY_DEVICES;
              }
              // The approver's row stays until we commit: a removal racing this approval commits
              // after it, so the device is never published approved by one already gone.
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?"
                          + dialect.forKeyShare())) {
                s.setString(1, accountId.value());
                s.setInt(2, approval.approver().value());
                try (ResultSet r = s.executeQuery()) {
                  if (!r.next()) {
                    return APPROVER_REMOVED;
                  }
                }
              }
              try (PreparedStatement s =
                  c.prepareStatement("UPDATE accounts SET next_device_id = ? WHERE id = ?")) {
                s.setInt(1, next + 1);
                s.setString(2, accountId.value());
                s.executeUpdate();
              }
              JdbcDeviceStore.insert(c, accountId, DeviceId.of(next), link.device(), approval, now);
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE links SET state = ?, account_id = ?, device_id = ? WHERE code = ?")) {
                s.setString(1, LinkStatus.State.APPROVED.wire());
                s.setString(2, accountId.value());
                s.setInt(3, next);
                s.setString(4, code.value());
                s.executeUpdate();
              }
              return next;
            });
    if (added == TOO_MANY_DEVICES) {
      throw new TooManyDevicesException();
    }
    if (added == APPROVER_REMOVED) {
      throw new ApproverRemovedException();
    }
    return added == NOT_PENDING ? Optional.empty() : Optional.of(DeviceId.of(added));
  }

  @Override
  public boolean reject(LinkCode code) {
    return transactions.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE links SET state = ? WHERE code = ? AND state = ?")) {
            s.setString(1, LinkStatus.State.REJECTED.wire());
            s.setString(2, code.value());
            s.setString(3, LinkStatus.State.PENDING.wire());
            return s.executeUpdate() == 1;
          }
        });
  }

  @Override
  public int deleteExpired(long now) {
    return transactions.write(
        c -> {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM links WHERE expires_at < ?")) {
            s.setLong(1, now);
            return s.executeUpdate();
          }
        });
  }

  private static PendingLink link(ResultSet r) throws SQLException {
    NewDevice device =
        new NewDevice(
            r.getString(2),
            new PasswordHash(r.getBytes(3), r.getBytes(4)),
            Json.read(r.getString(5), DeviceKeys.class),
            r.getLong(6));
    String accountId = r.getString(9);
    int deviceId = r.getInt(10);
    boolean hasDevice = !r.wasNull();
    return new PendingLink(
        LinkCode.of(r.getString(1)),
        device,
        r.getLong(7),
        state(r.getString(8)),
        accountId == null ? null : AccountId.of(accountId),
        hasDevice ? DeviceId.of(deviceId) : null);
  }

  private static LinkStatus.State state(String wire) {
    for (LinkStatus.State state : LinkStatus.State.values()) {
      if (state.wire().equals(wire)) {
        return state;
      }
    }
    throw new IllegalStateException("unknown link state in the store: " + wire);
  }
}
