package org.parley.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.Map;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.server.sealed.DeliveryCredentialStore;

/** Delivery credential hashes in {@code delivery_credentials} (SQLite and PostgreSQL alike). */
final class JdbcDeliveryCredentialStore implements DeliveryCredentialStore {
  private final Transactions transactions;

  JdbcDeliveryCredentialStore(Transactions transactions) {
    this.transactions = transactions;
  }

  @Override
  public void set(AccountId account, DeviceId device, byte[] credentialHash) {
    transactions.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO delivery_credentials (account_id, device_id, credential_hash)"
                      + " VALUES (?, ?, ?) ON CONFLICT (account_id, device_id)"
                      + " DO UPDATE SET credential_hash = excluded.credential_hash")) {
            s.setString(1, account.value());
            s.setInt(2, device.value());
            s.setBytes(3, credentialHash);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** Accounts per query: well under SQLite's and PostgreSQL's limits on parameters. */
  private static final int CHUNK = 500;

  @Override
  public Map<AccountId, Map<DeviceId, byte[]>> hashes(java.util.Collection<AccountId> accounts) {
    Map<AccountId, Map<DeviceId, byte[]>> out = new HashMap<>();
    java.util.List<AccountId> all = java.util.List.copyOf(accounts);
    for (AccountId a : all) {
      out.put(a, new HashMap<>());
    }
    for (int from = 0; from < all.size(); from += CHUNK) {
      java.util.List<AccountId> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      transactions.read(
          c -> {
            try (PreparedStatement s =
                c.prepareStatement(
                    "SELECT account_id, device_id, credential_hash FROM delivery_credentials"
                        + " WHERE account_id IN ("
                        + String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"))
                        + ")")) {
              for (int i = 0; i < chunk.size(); i++) {
                s.setString(i + 1, chunk.get(i).value());
              }
              try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                  out.get(AccountId.of(r.getString(1)))
                      .put(DeviceId.of(r.getInt(2)), r.getBytes(3));
                }
              }
            }
            return null;
          });
    }
    return out;
  }

  @Override
  public Map<DeviceId, byte[]> hashes(AccountId account) {
    return hashes(java.util.List.of(account)).get(account);
  }
}
