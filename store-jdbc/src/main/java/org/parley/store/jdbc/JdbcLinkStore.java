package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.OptionalInt;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Json;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.kt.LinkSerial;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkStatus;
import org.parley.server.device.DeviceApproval;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.link.ApproverRemovedException;
import org.parley.server.link.LinkApproval;
import org.parley.server.link.LinkStore;
import org.parley.server.link.PendingLink;
import org.parley.server.link.TooManyDevicesException;

/**
 * Links in the {@code links} table. The waiting device's keys are kept as their JSON wire form:
 * they are only ever read back whole, when the device is added. An approval waits on the link (V5)
 * until the new device accepts it.
 */
final class JdbcLinkStore implements LinkStore {
  private static final String COLUMNS =
      "code, device_name, password_salt, password_hash, device_keys, created_at, expires_at,"
          + " state, account_id, device_id, approver_device_id, approver_key, link_signature,"
          + " kt_approval";
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
                  "INSERT INTO links ("
                      + COLUMNS
                      + ")"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)")) {
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
  public boolean approve(LinkCode code, AccountId accountId, LinkApproval approval, long now)
      throws ApproverRemovedException {
    int result =
        transactions.write(
            c -> {
              // Lock order everywhere: the link, then the account's rows.
              Optional<PendingLink> link = lockLink(c, code);
              if (link.isEmpty()
                  || link.get().state() != LinkStatus.State.PENDING
                  || now >= link.get().expiresAt()) {
                return NOT_PENDING;
              }
              if (approverSerial(c, accountId, approval.approver(), approval.approverKey())
                  .isEmpty()) {
                return APPROVER_REMOVED;
              }
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE links SET state = ?, account_id = ?, approver_device_id = ?,"
                          + " approver_key = ?, link_signature = ?, kt_approval = ? WHERE code = ?")) {
                s.setString(1, LinkStatus.State.APPROVED.wire());
                s.setString(2, accountId.value());
                s.setInt(3, approval.approver().value());
                s.setBytes(4, approval.approverKey());
                s.setBytes(5, approval.linkSignature());
                s.setBytes(6, approval.ktApproval());
                s.setString(7, code.value());
                s.executeUpdate();
              }
              return 1;
            });
    if (result == APPROVER_REMOVED) {
      throw new ApproverRemovedException();
    }
    return result == 1;
  }

  @Override
  public Optional<DeviceId> accept(LinkCode code, long now)
      throws TooManyDevicesException, ApproverRemovedException {
    int added =
        transactions.write(
            c -> {
              Optional<PendingLink> found = lockLink(c, code);
              if (found.isEmpty()) {
                return NOT_PENDING;
              }
              PendingLink link = found.get();
              if (link.state() == LinkStatus.State.LINKED) {
                return link.deviceId().value(); // a retry: the same answer
              }
              if (link.state() != LinkStatus.State.APPROVED || now >= link.expiresAt()) {
                return NOT_PENDING;
              }
              AccountId accountId = link.accountId();
              long serial;
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT next_link_serial FROM accounts WHERE id = ?"
                          + dialect.forNoKeyUpdate())) {
                s.setString(1, accountId.value());
                try (ResultSet r = s.executeQuery()) {
                  if (!r.next()) {
                    throw new IllegalArgumentException("no account " + accountId);
                  }
                  serial = r.getLong(1);
                }
              }
              // The account row is held: accepts into one account run one at a time, so the free
              // slot read here is still free at commit.
              OptionalInt slot = freeSlot(c, accountId);
              if (slot.isEmpty() || serial > LinkSerial.MAX) {
                return TOO_MANY_DEVICES;
              }
              LinkApproval approval = link.approval();
              Optional<LinkSerial> approver =
                  approverSerial(c, accountId, approval.approver(), approval.approverKey());
              if (approver.isEmpty()) {
                return APPROVER_REMOVED;
              }
              try (PreparedStatement s =
                  c.prepareStatement("UPDATE accounts SET next_link_serial = ? WHERE id = ?")) {
                s.setLong(1, serial + 1);
                s.setString(2, accountId.value());
                s.executeUpdate();
              }
              int next = slot.getAsInt();
              JdbcDeviceStore.insert(
                  c,
                  accountId,
                  DeviceId.of(next),
                  LinkSerial.of(serial),
                  link.device(),
                  new DeviceApproval(approver.get(), approval.ktApproval()),
                  now);
              try (PreparedStatement s =
                  c.prepareStatement("UPDATE links SET state = ?, device_id = ? WHERE code = ?")) {
                s.setString(1, LinkStatus.State.LINKED.wire());
                s.setInt(2, next);
                s.setString(3, code.value());
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
    return close(code, LinkStatus.State.REJECTED);
  }

  @Override
  public boolean decline(LinkCode code) {
    return close(code, LinkStatus.State.DECLINED);
  }

  /** Moves a pending or approved link to {@code to}; false if it was in neither state. */
  private boolean close(LinkCode code, LinkStatus.State to) {
    return transactions.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("UPDATE links SET state = ? WHERE code = ? AND state IN (?, ?)")) {
            s.setString(1, to.wire());
            s.setString(2, code.value());
            s.setString(3, LinkStatus.State.PENDING.wire());
            s.setString(4, LinkStatus.State.APPROVED.wire());
            return s.executeUpdate() == 1;
          }
        });
  }

  private Optional<PendingLink> lockLink(Connection c, LinkCode code) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT " + COLUMNS + " FROM links WHERE code = ?" + dialect.forNoKeyUpdate())) {
      s.setString(1, code.value());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(link(r)) : Optional.empty();
      }
    }
  }

  /**
   * The approving device's link serial, if it is still in the account with the key it approved with
   * (its slot may since hold another device). Its row stays until we commit: a removal racing this
   * transaction commits after it, so a device is never published approved by one already gone.
   */
  private Optional<LinkSerial> approverSerial(
      Connection c, AccountId accountId, DeviceId approver, byte[] key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT identity_key, link_serial FROM devices WHERE account_id = ? AND device_id = ?"
                + dialect.forKeyShare())) {
      s.setString(1, accountId.value());
      s.setInt(2, approver.value());
      try (ResultSet r = s.executeQuery()) {
        return r.next() && java.util.Arrays.equals(r.getBytes(1), key)
            ? Optional.of(LinkSerial.of(r.getLong(2)))
            : Optional.empty();
      }
    }
  }

  /**
   * The lowest device id the account does not use: ids are libsignal's 1..127 and removed devices
   * free theirs, so an account can link any number of times while it keeps fewer than 127 devices.
   * The serial, not the id, tells a later device in the slot from the earlier one.
   */
  private static OptionalInt freeSlot(Connection c, AccountId accountId) throws SQLException {
    java.util.BitSet used = new java.util.BitSet(DeviceId.MAX + 1);
    try (PreparedStatement s =
        c.prepareStatement("SELECT device_id FROM devices WHERE account_id = ?")) {
      s.setString(1, accountId.value());
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          used.set(r.getInt(1));
        }
      }
    }
    int free = used.nextClearBit(1);
    return free <= DeviceId.MAX ? OptionalInt.of(free) : OptionalInt.empty();
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
        hasDevice ? DeviceId.of(deviceId) : null,
        approval(r));
  }

  private static LinkApproval approval(ResultSet r) throws SQLException {
    int approver = r.getInt(11);
    if (r.wasNull()) {
      return null;
    }
    return new LinkApproval(DeviceId.of(approver), r.getBytes(12), r.getBytes(13), r.getBytes(14));
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
