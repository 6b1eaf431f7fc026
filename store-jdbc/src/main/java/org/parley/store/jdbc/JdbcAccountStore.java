package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.LinkSerial;
import org.parley.server.account.Account;
import org.parley.server.account.AccountIdTakenException;
import org.parley.server.account.AccountStore;
import org.parley.server.account.HandleTakenException;
import org.parley.server.device.DeviceApproval;
import org.parley.server.device.NewDevice;

/** Accounts in the {@code accounts} table; registration also writes device 1 and its keys. */
final class JdbcAccountStore implements AccountStore {
  private static final String COLUMNS = "id, handle, created_at";

  private final Transactions transactions;
  private final Dialect dialect;

  JdbcAccountStore(Transactions transactions, Dialect dialect) {
    this.transactions = transactions;
    this.dialect = dialect;
  }

  @Override
  public void create(Account account, NewDevice firstDevice, byte[] selfApproval)
      throws HandleTakenException, AccountIdTakenException {
    DeviceApproval approval = new DeviceApproval(LinkSerial.of(1), selfApproval);
    boolean created;
    try {
      created =
          transactions.write(
              c -> {
                if (find(c, "handle", account.handle().value()).isPresent()) {
                  return false;
                }
                try (PreparedStatement s =
                    c.prepareStatement(
                        "INSERT INTO accounts (id, handle, created_at, next_link_serial)"
                            + " VALUES (?, ?, ?, ?)")) {
                  s.setString(1, account.id().value());
                  s.setString(2, account.handle().value());
                  s.setLong(3, account.createdAt());
                  s.setInt(4, 2);
                  s.executeUpdate();
                }
                JdbcDeviceStore.insert(
                    c,
                    account.id(),
                    DeviceId.of(1),
                    LinkSerial.of(1),
                    firstDevice,
                    approval,
                    firstDevice.createdAt());
                return true;
              });
    } catch (StorageException e) {
      // PostgreSQL: a concurrent registration of the same handle committed between our check and
      // our insert (SQLite cannot get here: its writers are serialized). Either backend: the
      // client-proposed account id is in use.
      if (e.getCause() instanceof SQLException s && dialect.isUniqueViolation(s)) {
        if (byHandle(account.handle()).isPresent()) {
          throw new HandleTakenException(account.handle());
        }
        if (byId(account.id()).isPresent()) {
          throw new AccountIdTakenException(account.id());
        }
      }
      throw e;
    }
    if (!created) {
      throw new HandleTakenException(account.handle());
    }
  }

  @Override
  public Optional<Account> byId(AccountId id) {
    return transactions.read(c -> find(c, "id", id.value()));
  }

  @Override
  public Optional<Account> byHandle(Handle handle) {
    return transactions.read(c -> find(c, "handle", handle.value()));
  }

  /** Looks an account up by a unique column ({@code id} or {@code handle}). */
  static Optional<Account> find(Connection c, String column, String value) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM accounts WHERE " + column + " = ?")) {
      s.setString(1, value);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Account(AccountId.of(r.getString(1)), Handle.of(r.getString(2)), r.getLong(3)));
      }
    }
  }
}
