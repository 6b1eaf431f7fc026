package org.parley.client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.store.SealedStore;
import org.parley.client.transport.ServerApi;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.sealed.DeliveryCredential;
import org.parley.protocol.sealed.SenderCertificateResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This device's side of sealed sender (docs/spec/sealed-sender.md): the trust root pinned on first
 * use, the delivery credential it hands to the people it writes to (registered with the server),
 * the sender certificate it seals with, and the credentials others handed it.
 *
 * <p>Sealing is an improvement, never a condition: whatever it lacks (no certificate because the
 * server is unreachable, no credential of some device) makes a send go unsealed, as before.
 */
final class Sealing {
  private static final Logger log = LoggerFactory.getLogger(Sealing.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate is renewed once it has less than this left, ms. */
  static final long RENEW_BEFORE = 3_600_000;

  private final ServerApi api;
  private final SealedStore store;
  private final Supplier<java.net.http.HttpClient> anonymous;
  private final org.parley.crypto.DeviceCrypto crypto;
  private final RemoteAddress self;
  private final org.parley.protocol.Handle handle;

  Sealing(
      ServerApi api,
      SealedStore store,
      Supplier<java.net.http.HttpClient> anonymous,
      org.parley.crypto.DeviceCrypto crypto,
      RemoteAddress self,
      org.parley.protocol.Handle handle) {
    this.api = api;
    this.store = store;
    this.anonymous = anonymous;
    this.crypto = crypto;
    this.self = self;
    this.handle = handle;
  }

  /** The client sealed sends go out on: connections that never carry the device's credential. */
  java.net.http.HttpClient anonymous() {
    return anonymous.get();
  }

  /**
   * Pins the server's trust root if none is, and makes and registers this device's credential if
   * the server does not have it yet. Nothing is lost if the server cannot be reached: the next send
   * or receive tries again.
   */
  void prepare() {
    readyCredential();
  }

  /**
   * {@link #prepare}, then the credential to hand to the people this device writes to, once the
   * server has it.
   */
  Optional<byte[]> readyCredential() {
    try {
      if (store.trustRoot().isEmpty()) {
        store.pinTrustRoot(api.trustRoot().trustRoot());
      }
      Optional<SealedStore.OwnCredential> own = store.ownCredential();
      if (own.isEmpty()) {
        store.newOwnCredential(newCredential());
        own = store.ownCredential();
      }
      if (own.orElseThrow().registered()) {
        return Optional.of(own.get().credential());
      }
      register(own.get().credential());
      return Optional.of(own.get().credential());
    } catch (ClientException e) {
      log.debug("sealed sender is not ready yet: {}", e.getMessage());
      return credentialToHandOut();
    }
  }

  /** Makes a new credential and registers it: the old one stops working at the server at once. */
  void rotate() {
    if (store.trustRoot().isEmpty()) {
      store.pinTrustRoot(api.trustRoot().trustRoot()); // throws if the server cannot be reached
    }
    byte[] credential = newCredential();
    store.newOwnCredential(credential);
    register(credential);
  }

  private void register(byte[] credential) {
    api.setDeliveryCredential(credential);
    store.ownCredentialRegistered(credential);
  }

  /** The credential to hand to the people this device writes to, once the server has it. */
  Optional<byte[]> credentialToHandOut() {
    return store
        .ownCredential()
        .filter(SealedStore.OwnCredential::registered)
        .map(c -> c.credential());
  }

  /** Where sealed sender stands, from what is stored (no network). */
  SealedStatus status() {
    return new SealedStatus(
        store.trustRoot().map(r -> java.util.HexFormat.of().formatHex(r)),
        credentialToHandOut().isPresent(),
        store.credentialCount(),
        store.certificate().map(c -> java.time.Instant.ofEpochMilli(c.expires())));
  }

  Optional<byte[]> trustRoot() {
    return store.trustRoot();
  }

  /**
   * A sender certificate with at least {@link #RENEW_BEFORE} left, fetched when needed and checked
   * to be this device's under the pinned root; empty if the server cannot give one now, or gives
   * one that is not (the send goes unsealed).
   */
  Optional<byte[]> certificate() {
    long now = System.currentTimeMillis();
    Optional<SealedStore.Certificate> held = store.certificate();
    if (held.isPresent() && held.get().expires() - now > RENEW_BEFORE) {
      return Optional.of(held.get().bytes());
    }
    Optional<byte[]> root = store.trustRoot();
    if (root.isEmpty()) {
      return Optional.empty(); // not pinned yet: nothing to check a certificate against
    }
    try {
      SenderCertificateResponse fresh = api.senderCertificate();
      // the server's word about this very device: sealing with anything else would only make
      // every recipient refuse it
      if (!crypto
          .sealedSender()
          .isOwnCertificate(root.get(), fresh.certificate(), self, handle, now + RENEW_BEFORE)) {
        log.warn(
            "the server's sender certificate is not this device's under the pinned trust root;"
                + " sending named");
        return Optional.empty();
      }
      store.saveCertificate(new SealedStore.Certificate(fresh.certificate(), fresh.expires()));
      return Optional.of(fresh.certificate());
    } catch (ClientException e) {
      log.debug("no sender certificate now: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The credential each of {@code devices} of {@code account} handed this device, in their order,
   * if every one did: a send seals to all of an account's devices or to none.
   */
  Optional<List<byte[]>> credentials(AccountId account, List<DeviceId> devices) {
    List<byte[]> credentials = new ArrayList<>(devices.size());
    for (DeviceId d : devices) {
      Optional<byte[]> credential = store.credentialOf(new RemoteAddress(account, d));
      if (credential.isEmpty()) {
        return Optional.empty();
      }
      credentials.add(credential.get());
    }
    return Optional.of(credentials);
  }

  /** Keeps what a proven device of another account handed over in a message. */
  void received(RemoteAddress from, byte[] credential) {
    if (credential.length != DeliveryCredential.LENGTH) {
      return; // not a credential: nothing to keep
    }
    Optional<byte[]> known = store.credentialOf(from);
    if (known.isEmpty() || !Arrays.equals(known.get(), credential)) {
      store.saveCredential(from, credential);
    }
  }

  /** The server refused a credential of the account: forget them all, send unsealed until new. */
  void refused(AccountId account, Iterable<DeviceId> devices) {
    for (DeviceId d : devices) {
      store.forgetCredential(account, d);
    }
  }

  private static byte[] newCredential() {
    byte[] credential = new byte[DeliveryCredential.LENGTH];
    RANDOM.nextBytes(credential);
    return credential;
  }
}
