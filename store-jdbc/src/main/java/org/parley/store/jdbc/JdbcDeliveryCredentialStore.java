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

  @Override
  public Map<DeviceId, byte[]> hashes(AccountId account) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT device_id, credential_hash FROM delivery_credentials"
                      + " WHERE account_id = ?")) {
            s.setString(1, account.value());
            try (ResultSet r = s.executeQuery()) {
              Map<DeviceId, byte[]> hashes = new HashMap<>();
              while (r.next()) {
                hashes.put(DeviceId.of(r.getInt(1)), r.getBytes(2));
              }
              return hashes;
            }
          }
        });
  }
}
