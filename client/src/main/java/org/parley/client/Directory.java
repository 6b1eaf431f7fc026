package org.parley.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.ContactStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.transport.ServerApi;
import org.parley.client.kt.ContactCheck;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.NotPublishedException;
import org.parley.client.trust.IdentityTrust;
import org.parley.protocol.kt.DeviceListValue;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
  /** How many epochs to wait for the log to publish what the server already lists. */
  private static final int PUBLICATION_WAIT_EPOCHS = 4;

  private final ServerApi api;
  private final DeviceCrypto crypto;
  private final ContactStore contacts;
  private final IdentityTrust trust;
  private final RemoteAddress self;
  private final KeyTransparency kt;
  /** Per account, the listed devices the last check refused (unproven or unapproved). */
  private final Map<String, Set<Integer>> refused = new ConcurrentHashMap<>();

  Directory(
      ServerApi api,
      DeviceCrypto crypto,
      ContactStore contacts,
      IdentityTrust trust,
      RemoteAddress self,
      KeyTransparency kt) {
    this.api = api;
    this.crypto = crypto;
    this.contacts = contacts;
    this.trust = trust;
    this.self = self;
    this.kt = kt;
  }

  /** The devices of {@code account} the last check left out, by id. */
  Set<Integer> refusedDevices(AccountId account) {
    return refused.getOrDefault(account.value(), Set.of());
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
    AccountId proven = waitFor(() -> kt.provenAccount(handle), value -> true);
    if (!proven.equals(account)) {
      throw kt.raise("handle_mismatch", handle.value(), "the server's directory says "
          + handle.value() + " is account " + account.value() + " but the key-transparency log "
          + "proves account " + proven.value() + "; not using either", null);
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
    AccountId account = list.accountId();
    boolean others = list.devices().stream()
        .anyMatch(d -> !new RemoteAddress(account.value(), d.deviceId().value()).equals(self));
    // Keys are used only as the key-transparency log proves them: wait (a few epochs at most)
    // for devices the server lists but the log does not hold yet, such as a device just linked.
    DeviceListValue proven = others
        ? waitFor(() -> kt.provenDevices(account, list.handle().value()).devices(),
            value -> list.devices().stream().allMatch(d -> isSelf(account, d)
                || value.entry(d.deviceId()).filter(e -> Arrays.equals(e.identityKey(),
                    d.identityKey())).isPresent()))
        : null;
    boolean firstContact = contacts.byAccount(account.value()).isEmpty();
    List<ContactDevice> devices = new ArrayList<>();
    Set<Integer> left = new HashSet<>();
    for (DeviceInfo d : list.devices()) {
      if (!isSelf(account, d)) {
        Optional<DeviceListValue.Entry> entry = proven.entry(d.deviceId())
            .filter(e -> Arrays.equals(e.identityKey(), d.identityKey()));
        if (entry.isEmpty()) {
          left.add(d.deviceId().value());
          continue; // the log does not prove this key: never encrypt to it
        }
        Optional<byte[]> before = crypto.trustedIdentity(
            new RemoteAddress(account.value(), d.deviceId().value())).map(IdentityPublicKey::bytes);
        Optional<String> refusal =
            ContactCheck.refusal(account, proven, entry.get(), before, firstContact);
        if (refusal.isPresent()) {
          left.add(d.deviceId().value());
          kt.raise("unapproved_device", list.handle().value(), "the key-transparency log lists a "
              + "device of " + list.handle().value() + " that none of its devices approved ("
              + refusal.get() + "); Parley will not encrypt to it", null);
          continue;
        }
      }
      requireTrusted(account, list.handle(), d.deviceId(), d.identityKey());
      devices.add(
          new ContactDevice(d.deviceId().value(), d.registrationId(), d.identityKey(), d.name()));
    }
    refused.put(account.value(), Set.copyOf(left));
    contacts.save(list.accountId().value(), list.handle().value(), devices);
    return contacts.byAccount(list.accountId().value()).orElseThrow();
  }

  private boolean isSelf(AccountId account, DeviceInfo d) {
    return new RemoteAddress(account.value(), d.deviceId().value()).equals(self);
  }

  /**
   * Runs a key-transparency check, retrying for a few epochs while the log has not published
   * what the server already states ({@code done} false, or the label not in the log yet).
   */
  private <T> T waitFor(Supplier<T> check, Predicate<T> done) {
    long deadline = System.currentTimeMillis() + PUBLICATION_WAIT_EPOCHS * kt.epochMillis();
    while (true) {
      T value;
      try {
        value = check.get();
        if (done.test(value) || System.currentTimeMillis() >= deadline) {
          return value;
        }
      } catch (NotPublishedException e) {
        if (System.currentTimeMillis() >= deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(Math.max(50, kt.epochMillis() / 2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted while waiting for the key-transparency log", e);
      }
    }
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
