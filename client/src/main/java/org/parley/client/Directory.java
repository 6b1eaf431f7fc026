package org.parley.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.ContactStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.IdentityTrust;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;

/**
 * Who has which devices and keys: handle look-ups and device lists from the server, every key
 * passed through the {@link IdentityTrust} policy before the crypto module may use it, and the
 * answers cached in the local state.
 */
final class Directory {
  private final ServerApi api;
  private final DeviceCrypto crypto;
  private final ContactStore contacts;
  private final IdentityTrust trust;
  private final RemoteAddress self;

  Directory(
      ServerApi api,
      DeviceCrypto crypto,
      ContactStore contacts,
      IdentityTrust trust,
      RemoteAddress self) {
    this.api = api;
    this.crypto = crypto;
    this.contacts = contacts;
    this.trust = trust;
    this.self = self;
  }

  /** Looks the handle up and fetches its account's device list. */
  Contact byHandle(Handle handle) {
    AccountId account;
    try {
      account = api.lookup(handle).accountId();
    } catch (ServerException e) {
      if (e.code() != ErrorCode.UNKNOWN_HANDLE) {
        throw e;
      }
      // the server's message does not say which handle; the person needs to know
      ServerException named =
          new ServerException(
              e.code(), "no account has the handle " + handle.value(), e.status(), e.body(), null);
      named.initCause(e);
      throw named;
    }
    return refresh(account);
  }

  /** Fetches an account's device list and trusts its keys (or refuses). */
  Contact refresh(AccountId account) {
    return apply(api.devices(account));
  }

  /** The cached device list if younger than {@code maxAge}, else a fresh one. */
  Contact cached(AccountId account, Duration maxAge) {
    Optional<Contact> cached = contacts.byAccount(account.value());
    if (cached.isPresent()
        && System.currentTimeMillis() - cached.get().fetchedAt() < maxAge.toMillis()) {
      return cached.get();
    }
    return refresh(account);
  }

  /** Applies a device list the server gave: trust decisions, then the cache. */
  Contact apply(DeviceList list) {
    List<ContactDevice> devices = new ArrayList<>();
    for (DeviceInfo d : list.devices()) {
      requireTrusted(list.accountId(), list.handle(), d.deviceId(), d.identityKey());
      devices.add(
          new ContactDevice(d.deviceId().value(), d.registrationId(), d.identityKey(), d.name()));
    }
    contacts.save(list.accountId().value(), list.handle().value(), devices);
    return contacts.byAccount(list.accountId().value()).orElseThrow();
  }

  /**
   * Passes one directory-stated key through the trust policy and records it with the crypto
   * module.
   *
   * @throws UntrustedIdentityException if the policy refuses it
   */
  void requireTrusted(AccountId account, Handle handle, DeviceId device, byte[] identityKey) {
    RemoteAddress address = new RemoteAddress(account.value(), device.value());
    if (address.equals(self)) {
      return;
    }
    IdentityPublicKey key;
    try {
      key = new IdentityPublicKey(identityKey);
    } catch (IllegalArgumentException e) {
      throw new UntrustedIdentityException(
          "the server gave a malformed identity key for device " + device + " of " + handle);
    }
    Optional<IdentityPublicKey> previous = crypto.trustedIdentity(address);
    IdentityTrust.Decision decision =
        trust.decide(
            new IdentityTrust.DeviceKey(account, handle, device, identityKey),
            previous.map(IdentityPublicKey::bytes));
    if (decision instanceof IdentityTrust.Decision.Refused refused) {
      throw new UntrustedIdentityException(refused.reason());
    }
    if (previous.isEmpty() || !previous.get().equals(key)) {
      crypto.trustIdentity(address, key);
    }
  }
}
