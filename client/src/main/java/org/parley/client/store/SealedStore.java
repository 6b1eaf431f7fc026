package org.parley.client.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * What this device keeps for sealed sender (V13__sealed_sender.sql): the server's trust root,
 * pinned on first use; this device's own delivery credential and whether the server has it; the
 * sender certificate in use; and the credential each contact device handed this device. Every
 * method joins the caller's transaction if one is open.
 */
public final class SealedStore {
  /** A sender certificate and when it expires, ms since the epoch. */
  public record Certificate(byte[] bytes, long expires) {}

  /** This device's own credential; {@code registered} once the server acknowledged it. */
  public record OwnCredential(byte[] credential, boolean registered) {}

  private static final int ROW = 1; // the one row, named as the re-encryption reads it back

  private final DeviceDatabase db;

  public SealedStore(DeviceDatabase db) {
    this.db = db;
  }

  /** The pinned trust root, if one is. */
  public Optional<byte[]> trustRoot() {
    return db.read(
        c -> {
          try (PreparedStatement st =
                  c.prepareStatement("SELECT trust_root FROM sealed_sender WHERE id = 1");
              ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
          }
        });
  }

  /** Pins the trust root; never replaces one already pinned. */
  public void pinTrustRoot(byte[] trustRoot) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO sealed_sender (id, trust_root) VALUES (1, ?) ON CONFLICT (id) DO"
                    + " NOTHING",
                (Object) trustRoot));
  }

  public Optional<OwnCredential> ownCredential() {
    return db.read(
        c -> {
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT own_credential, credential_at FROM sealed_sender WHERE id = 1"
                          + " AND own_credential IS NOT NULL");
              ResultSet rs = st.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            byte[] credential =
                db.secrets().open(Secret.OWN_DELIVERY_CREDENTIAL, rs.getBytes(1), ROW);
            rs.getLong(2);
            return Optional.of(new OwnCredential(credential, !rs.wasNull()));
          }
        });
  }

  /** Stores a new own credential, not yet registered; the certificate row must exist. */
  public void newOwnCredential(byte[] credential) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "UPDATE sealed_sender SET own_credential = ?, credential_at = NULL WHERE id = 1",
                (Object) db.secrets().seal(Secret.OWN_DELIVERY_CREDENTIAL, credential, ROW)));
  }

  /** Marks the own credential registered, if it is still {@code credential}. */
  public void ownCredentialRegistered(byte[] credential) {
    Optional<OwnCredential> current = ownCredential();
    if (current.isPresent() && java.util.Arrays.equals(current.get().credential(), credential)) {
      db.write(
          c ->
              SqliteProtocolState.execute(
                  c,
                  "UPDATE sealed_sender SET credential_at = ? WHERE id = 1",
                  System.currentTimeMillis()));
    }
  }

  public Optional<Certificate> certificate() {
    return db.read(
        c -> {
          try (PreparedStatement st =
                  c.prepareStatement(
                      "SELECT certificate, certificate_expires FROM sealed_sender WHERE id = 1"
                          + " AND certificate IS NOT NULL");
              ResultSet rs = st.executeQuery()) {
            return rs.next()
                ? Optional.of(new Certificate(rs.getBytes(1), rs.getLong(2)))
                : Optional.empty();
          }
        });
  }

  public void saveCertificate(Certificate certificate) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "UPDATE sealed_sender SET certificate = ?, certificate_expires = ? WHERE id = 1",
                certificate.bytes(),
                certificate.expires()));
  }

  /** The credential a contact device handed this device. */
  public Optional<byte[]> credentialOf(RemoteAddress device) {
    return db.read(
        c -> {
          try (PreparedStatement st =
              c.prepareStatement(
                  "SELECT credential FROM delivery_credential WHERE account_id = ? AND"
                      + " device_id = ?")) {
            st.setString(1, device.accountId().value());
            st.setInt(2, device.deviceId().value());
            try (ResultSet rs = st.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      db.secrets()
                          .open(
                              Secret.DELIVERY_CREDENTIAL,
                              rs.getBytes(1),
                              device.accountId().value(),
                              device.deviceId().value()))
                  : Optional.empty();
            }
          }
        });
  }

  /** Keeps the credential a proven contact device handed over, replacing an older one. */
  public void saveCredential(RemoteAddress device, byte[] credential) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "INSERT INTO delivery_credential (account_id, device_id, credential, received_at)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (account_id, device_id) DO UPDATE SET"
                    + " credential = excluded.credential, received_at = excluded.received_at",
                device.accountId().value(),
                device.deviceId().value(),
                db.secrets()
                    .seal(
                        Secret.DELIVERY_CREDENTIAL,
                        credential,
                        device.accountId().value(),
                        device.deviceId().value()),
                System.currentTimeMillis()));
  }

  /** How many devices of other accounts handed this device their credential. */
  public int credentialCount() {
    return db.read(
        c -> {
          try (PreparedStatement st =
                  c.prepareStatement("SELECT count(*) FROM delivery_credential");
              ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  /** Forgets a credential the server refused (replaced by its device, or the device is gone). */
  public void forgetCredential(AccountId account, DeviceId device) {
    db.write(
        c ->
            SqliteProtocolState.execute(
                c,
                "DELETE FROM delivery_credential WHERE account_id = ? AND device_id = ?",
                account.value(),
                device.value()));
  }
}
