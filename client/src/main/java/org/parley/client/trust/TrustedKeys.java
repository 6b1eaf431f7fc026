package org.parley.client.trust;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.DeviceDatabase;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityChangedException;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.LinkSerial;

/**
 * The remote device keys this device trusts, each with why (V3__proven_trust.sql), and the keys of
 * devices it saw removed. The only writer of the crypto module's trusted identities: a key reaches
 * libsignal only through {@link #trustProven} or {@link #acceptReplacement}, in the same
 * transaction as its row here.
 */
public final class TrustedKeys {
  /** Why a key is trusted. */
  public enum Basis {
    /** The log proved it in the account's device list and its approval verified. */
    PROVEN,
    /** The person accepted a proven key that replaced an earlier one, after checking. */
    ACCEPTED
  }

  /**
   * One trusted device key, for the device with link serial {@code serial} in slot {@code device}.
   */
  public record TrustedKey(
      AccountId account,
      DeviceId device,
      LinkSerial serial,
      byte[] identityKey,
      Basis basis,
      long labelVersion) {
    public TrustedKey {
      identityKey = identityKey.clone();
    }

    @Override
    public byte[] identityKey() {
      return identityKey.clone();
    }
  }

  private final DeviceDatabase db;
  private final DeviceCrypto crypto;

  public TrustedKeys(DeviceDatabase db, DeviceCrypto crypto) {
    this.db = db;
    this.crypto = crypto;
  }

  /** The key trusted for a device, if any. */
  public Optional<TrustedKey> find(AccountId account, DeviceId device) {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT identity_key, basis, label_version,"
                      + " link_serial FROM trusted_key WHERE account_id = ? AND device_id = ?")) {
            s.setString(1, account.value());
            s.setInt(2, device.value());
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? Optional.of(
                      new TrustedKey(
                          account,
                          device,
                          LinkSerial.of(r.getLong(4)),
                          r.getBytes(1),
                          basis(r.getString(2)),
                          r.getLong(3)))
                  : Optional.empty();
            }
          }
        });
  }

  /** Every device of {@code account} with a trusted key. */
  public List<TrustedKey> ofAccount(AccountId account) {
    return db.read(
        c -> {
          List<TrustedKey> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT device_id, identity_key, basis,"
                      + " label_version, link_serial FROM trusted_key WHERE account_id = ? ORDER BY device_id")) {
            s.setString(1, account.value());
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(
                    new TrustedKey(
                        account,
                        DeviceId.of(r.getInt(1)),
                        LinkSerial.of(r.getLong(5)),
                        r.getBytes(2),
                        basis(r.getString(3)),
                        r.getLong(4)));
              }
            }
          }
          return List.copyOf(out);
        });
  }

  /**
   * Trusts a key the log proved (its approval checked) for a device with no trusted key yet; a
   * no-op if the same key is trusted.
   *
   * @throws IdentityChangedException if another key is trusted for the device (nothing changes)
   */
  public void trustProven(
      AccountId account,
      DeviceId device,
      LinkSerial serial,
      IdentityPublicKey key,
      long labelVersion)
      throws IdentityChangedException {
    db.<Void, IdentityChangedException>inTransaction(
        () -> {
          if (crypto.trustIdentity(address(account, device), key)) {
            upsert(account, device, serial, key, Basis.PROVEN, labelVersion);
          } else if (find(account, device).isEmpty()) {
            upsert(
                account,
                device,
                serial,
                key,
                Basis.PROVEN,
                labelVersion); // the crypto row came first
          }
          return null;
        });
  }

  /** The person's decision: trust a proven key that replaces the one trusted for the device. */
  public void acceptReplacement(
      AccountId account,
      DeviceId device,
      LinkSerial serial,
      IdentityPublicKey key,
      long labelVersion) {
    db.inTransaction(
        () -> {
          crypto.replaceTrustedIdentity(address(account, device), key);
          upsert(account, device, serial, key, Basis.ACCEPTED, labelVersion);
          return null;
        });
  }

  /**
   * The device left its account's proven list (or another device took its slot): stop trusting it,
   * forget its session, and remember its key and serial, which no device of the account may carry
   * again.
   */
  public void retire(AccountId account, DeviceId device, LinkSerial serial, byte[] identityKey) {
    db.inTransaction(
        () -> {
          forget(account, device);
          rememberRetired(account, device, serial, identityKey);
          return null;
        });
  }

  /**
   * Stops trusting a device (its key and session are gone) without remembering its key as retired:
   * for a device of this account the log never proved; there is no key to remember.
   */
  public void forget(AccountId account, DeviceId device) {
    db.inTransaction(
        () -> {
          crypto.forgetIdentity(address(account, device));
          db.write(
              c -> {
                try (PreparedStatement s =
                    c.prepareStatement(
                        "DELETE FROM trusted_key WHERE account_id = ? AND device_id = ?")) {
                  s.setString(1, account.value());
                  s.setInt(2, device.value());
                  s.executeUpdate();
                }
                return null;
              });
          return null;
        });
  }

  /** Remembers the key of a device seen removed from an account's list, without more. */
  public void rememberRetired(
      AccountId account, DeviceId device, LinkSerial serial, byte[] identityKey) {
    db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO retired_key (account_id,"
                      + " identity_key, device_id, retired_at, link_serial) VALUES (?, ?, ?, ?, ?)"
                      + " ON CONFLICT DO NOTHING")) {
            s.setString(1, account.value());
            s.setBytes(2, identityKey);
            s.setInt(3, device.value());
            s.setLong(4, System.currentTimeMillis());
            s.setLong(5, serial.value());
            return s.executeUpdate();
          }
        });
  }

  /** True if this device saw {@code device} leave {@code account}'s list. */
  public boolean isRetired(AccountId account, DeviceId device) {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM retired_key WHERE account_id = ? AND device_id = ? LIMIT 1")) {
            s.setString(1, account.value());
            s.setInt(2, device.value());
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  /** The link serials of every device this device saw leave {@code account}'s list. */
  public List<LinkSerial> retiredSerials(AccountId account) {
    return db.read(
        c -> {
          List<LinkSerial> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT DISTINCT link_serial FROM retired_key WHERE account_id = ?"
                      + " AND link_serial IS NOT NULL")) {
            s.setString(1, account.value());
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(LinkSerial.of(r.getLong(1)));
              }
            }
          }
          return out;
        });
  }

  /** The keys of every device this device saw leave {@code account}'s list. */
  public List<byte[]> retiredKeys(AccountId account) {
    return db.read(
        c -> {
          List<byte[]> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement("SELECT identity_key FROM retired_key WHERE account_id = ?")) {
            s.setString(1, account.value());
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                out.add(r.getBytes(1));
              }
            }
          }
          return out;
        });
  }

  private void upsert(
      AccountId account,
      DeviceId device,
      LinkSerial serial,
      IdentityPublicKey key,
      Basis basis,
      long labelVersion) {
    db.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO trusted_key (account_id,"
                      + " device_id, identity_key, basis, label_version, trusted_at, link_serial)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?)"
                      + " ON CONFLICT (account_id, device_id) DO UPDATE SET identity_key ="
                      + " excluded.identity_key, basis = excluded.basis, label_version ="
                      + " excluded.label_version, trusted_at = excluded.trusted_at, link_serial ="
                      + " excluded.link_serial")) {
            s.setString(1, account.value());
            s.setInt(2, device.value());
            s.setBytes(3, key.bytes());
            s.setString(4, basis.name().toLowerCase(java.util.Locale.ROOT));
            s.setLong(5, labelVersion);
            s.setLong(6, System.currentTimeMillis());
            s.setLong(7, serial.value());
            return s.executeUpdate();
          }
        });
  }

  private static Basis basis(String stored) {
    return Basis.valueOf(stored.toUpperCase(java.util.Locale.ROOT));
  }

  private static RemoteAddress address(AccountId account, DeviceId device) {
    return new RemoteAddress(account, device);
  }
}
