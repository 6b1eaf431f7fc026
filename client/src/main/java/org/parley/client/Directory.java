package org.parley.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.parley.client.kt.ContactCheck;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.KeyTransparency.ProvenDevices;
import org.parley.client.kt.NotPublishedException;
import org.parley.client.store.ContactStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.TrustedKeys;
import org.parley.client.trust.TrustedKeys.TrustedKey;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;

/**
 * Who has which devices and keys. The server's directory says which devices to encrypt to; the
 * key-transparency log decides whether to believe it: a handle is used for an account only once the
 * log proves the binding, and a device key only once the log proves it in the account's list and
 * its approval checks out ({@link ContactCheck}). Only such keys reach {@link TrustedKeys} and the
 * contact cache; devices that fail are left out one by one, each with its reason.
 */
final class Directory {
  private final ServerApi api;
  private final ContactStore contacts;
  private final TrustedKeys trusted;
  private final RemoteAddress self;
  private final Handle selfHandle;
  private final IdentityPublicKey selfKey;
  private final KeyTransparency kt;
  private final DeviceNotices notices;
  private final DeviceChecks checks;
  private final SelfProof selfProof;
  private final Predicate<AccountId> hasSessions;

  /**
   * Per account, the prekey bundles that came with its device list (a first contact), until the
   * fan-out takes them: in memory only, since a bundle is good for one session start.
   */
  private final Map<String, List<DeviceBundle>> bundled = new ConcurrentHashMap<>();

  /**
   * Per account, the listed devices the last check refused, with why: read through from the contact
   * cache, where they are kept with the proven list they belong to.
   */
  private final Map<String, Map<Integer, String>> refused = new ConcurrentHashMap<>();

  /** Per account, the proven keys the last check refused because they replaced a trusted one. */
  private final Map<String, Map<Integer, byte[]>> changed = new ConcurrentHashMap<>();

  Directory(
      ServerApi api,
      ContactStore contacts,
      IdentityTrust trust,
      TrustedKeys trusted,
      RemoteAddress self,
      Handle selfHandle,
      IdentityPublicKey selfKey,
      KeyTransparency kt,
      DeviceNotices notices,
      Predicate<AccountId> hasSessions) {
    this.hasSessions = hasSessions;
    this.api = api;
    this.contacts = contacts;
    this.trusted = trusted;
    this.self = self;
    this.selfHandle = selfHandle;
    this.selfKey = selfKey;
    this.kt = kt;
    this.notices = notices;
    this.checks = new DeviceChecks(trust, trusted, kt);
    this.selfProof = new SelfProof(kt, self, selfHandle, selfKey);
  }

  /** The devices of {@code account} the last check left out, by id, with the reason. */
  Map<Integer, String> refusedDevices(AccountId account) {
    return refused.computeIfAbsent(account.value(), contacts::refused);
  }

  /** Leaves one more device of {@code account} out of what is sent (its bundle failed). */
  void refuse(AccountId account, int device, String why) {
    Map<Integer, String> next = new java.util.TreeMap<>(refusedDevices(account));
    next.put(device, why);
    refused.put(account.value(), Map.copyOf(next));
    contacts.refuse(account.value(), device, why);
  }

  /**
   * How many epochs a proof of an account's device list is relied on before the list is proven
   * again, when receiving (a sender's device) and when sending (the devices to encrypt to): a
   * device its owner removed from the log stops being used within that time, even by a server that
   * keeps listing it.
   */
  static final int PROOF_FRESH_EPOCHS = 30;

  /**
   * How long a proven device list is relied on: {@link #PROOF_FRESH_EPOCHS} of the log's epochs.
   */
  Duration proofWindow() {
    return Duration.ofMillis(PROOF_FRESH_EPOCHS * kt.epochMillis());
  }

  /**
   * The contact {@code handle} names, from the cache while its list was proven within {@link
   * #proofWindow()}, else looked up and proven now. The server cannot use the cache to slip in a
   * device: a device it adds makes it refuse the send ({@code 409 stale_devices}), and {@link
   * Fanout} then proves the new list before any key of it is used.
   */
  Contact known(Handle handle) {
    Optional<Contact> cached = contacts.byHandle(handle.value());
    if (cached.isPresent() && fresh(cached.get())) {
      return cached.get();
    }
    return byHandle(handle);
  }

  /** The proven device list of {@code account} from the cache while fresh, else proven now. */
  Contact known(AccountId account) {
    return cached(account, proofWindow());
  }

  /**
   * Stops relying on the cached list of {@code account} (the server no longer knows the account, or
   * says its list changed): the next send looks it up again.
   */
  void expire(AccountId account) {
    contacts.expire(account.value());
  }

  private boolean fresh(Contact c) {
    return System.currentTimeMillis() - c.fetchedAt() < proofWindow().toMillis();
  }

  /** True if the cached device list of {@code account} was proven less than {@code maxAge} ago. */
  boolean provenWithin(AccountId account, Duration maxAge) {
    return contacts
        .binding(account.value())
        .filter(b -> System.currentTimeMillis() - b.fetchedAt() < maxAge.toMillis())
        .isPresent();
  }

  /**
   * This account removed one of its devices: stop trusting it and retire its key at once rather
   * than when the log publishes the removal.
   */
  void retireOwnDevice(DeviceId device) {
    AccountId me = self.accountId();
    // Its proven key is retired now, not when monitoring sees the removal: a copy it queued for
    // this device before the removal may arrive after a new device took over its id, and must
    // read as from a removed device, not as a forgery. A device the log never showed has nothing
    // to remember.
    Optional<DeviceListValue.Entry> proven = kt.provenOwnDevice(device);
    if (proven.isPresent()) {
      trusted.retire(me, device, proven.get().serial(), proven.get().identityKey());
    } else {
      trusted.forget(me, device);
    }
  }

  /** The proven new keys of devices refused for a changed key, by device id. */
  Map<Integer, byte[]> changedKeys(AccountId account) {
    return changed.getOrDefault(account.value(), Map.of());
  }

  /**
   * Looks the handle up and fetches its account's device list. Both requests name the search this
   * device would make of what they return, so that the proofs come with the answers
   * (docs/spec/api.md, "Proofs come with what they prove"), and a first contact (no session with
   * any device of the account) asks for the bundles of every device with the list: a first message
   * is then the look-up, the list and the send.
   */
  Contact byHandle(Handle handle) {
    AccountId account;
    // no proof asked for where the binding is known (this account's handle, a cached contact)
    byte[] handleSearch =
        handle.equals(selfHandle) || contacts.byHandle(handle.value()).isPresent()
            ? null
            : kt.handleSearch(handle);
    HandleLookup found;
    try {
      found = handleSearch == null ? api.lookup(handle) : api.lookup(handle, handleSearch);
      account = found.accountId();
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
    requireBinding(
        account,
        handle,
        null,
        Optional.ofNullable(handleSearch == null ? null : found.ktSearch())
            .map(proof -> new KeyTransparency.BundledSearch(handleSearch, proof)));
    byte[] search = kt.deviceListSearch(account);
    boolean first = !account.equals(self.accountId()) && !hasSessions.test(account);
    DeviceList list = api.devices(account, search, first);
    // proven for this account only: a list the server gives for another is proven as any other
    boolean asked = list.accountId().equals(account);
    Contact contact =
        apply(list, asked ? Optional.of(handle) : Optional.empty(), bundled(list, account, search));
    if (first && asked && list.bundles() != null) {
      // kept only once the list is proven; each bundle is checked against the proven key when a
      // session is started from it (Fanout), exactly as a fetched one
      bundled.put(account.value(), list.bundles());
    }
    return contact;
  }

  /**
   * The bundles that came with the device list of {@code account}, if any are waiting: each is
   * handed out once.
   */
  Optional<List<DeviceBundle>> takeBundles(AccountId account) {
    return Optional.ofNullable(bundled.remove(account.value()));
  }

  /** Fetches an account's device list, with its proof, and trusts its proven keys. */
  Contact refresh(AccountId account) {
    byte[] search = kt.deviceListSearch(account);
    DeviceList list = api.devices(account, search);
    return apply(list, Optional.empty(), bundled(list, account, search));
  }

  /** The proof that came with {@code list}, if it is for the account asked about. */
  private static Optional<KeyTransparency.BundledSearch> bundled(
      DeviceList list, AccountId account, byte[] search) {
    return list.ktSearch() == null || !list.accountId().equals(account)
        ? Optional.empty()
        : Optional.of(new KeyTransparency.BundledSearch(search, list.ktSearch()));
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

  /**
   * Proves that {@code handle} names {@code account}: this account's own handle, a binding this
   * device proved before (kept in the contact cache, which holds nothing else), or a verified
   * search of the handle's label now.
   *
   * @throws org.parley.client.KtAlarmException if the log binds the handle to another account (the
   *     alarm is kept)
   * @throws NotPublishedException if the log does not hold the handle
   */
  Handle requireBinding(AccountId account, Handle handle) {
    return requireBinding(account, handle, null);
  }

  /** {@link #requireBinding(AccountId, Handle)}; an alarm keeps {@code evidence}. */
  Handle requireBinding(AccountId account, Handle handle, byte[] evidence) {
    return requireBinding(account, handle, evidence, Optional.empty());
  }

  /**
   * {@link #requireBinding(AccountId, Handle, byte[])}, where a search of the handle is needed,
   * verifying {@code bundledSearch} (the proof that came with the look-up) first; a wait for the
   * log searches again.
   */
  private Handle requireBinding(
      AccountId account,
      Handle handle,
      byte[] evidence,
      Optional<KeyTransparency.BundledSearch> bundledSearch) {
    if (account.equals(self.accountId())) {
      if (!handle.equals(selfHandle)) {
        throw kt.raise(
            KtAlarm.Kind.HANDLE_MISMATCH,
            selfHandle.value(),
            "the server named this account "
                + handle.value()
                + ", but it is "
                + selfHandle.value()
                + "; not believing it",
            evidence);
      }
      return handle;
    }
    if (contacts
        .binding(account.value())
        .filter(b -> b.handle().equals(handle.value()))
        .isPresent()) {
      return handle;
    }
    var once = new java.util.concurrent.atomic.AtomicReference<>(bundledSearch);
    AccountId proven =
        LogWait.waitFor(
            kt, () -> kt.provenAccount(handle, once.getAndSet(Optional.empty())), value -> true);
    if (!proven.equals(account)) {
      throw kt.raise(
          KtAlarm.Kind.HANDLE_MISMATCH,
          handle.value(),
          "the server says "
              + handle.value()
              + " is account "
              + account.value()
              + " but the key-transparency log proves account "
              + proven.value()
              + "; whatever the server labels "
              + handle.value()
              + " from that account is not shown",
          evidence);
    }
    return handle;
  }

  /** Applies a device list the server gave: the log's proof, each device's check, the cache. */
  Contact apply(DeviceList list) {
    return apply(list, Optional.empty(), Optional.empty());
  }

  /**
   * {@link #apply(DeviceList)}, where {@code provenHandle} is a handle the log just proved for the
   * list's account: a list naming that handle needs no second search of it (the binding is cached
   * only with the list, at the end). A list naming another handle is proven as any other.
   */
  private Contact apply(
      DeviceList list,
      Optional<Handle> provenHandle,
      Optional<KeyTransparency.BundledSearch> bundled) {
    AccountId account = list.accountId();
    Handle handle =
        provenHandle.filter(h -> h.equals(list.handle())).isPresent()
            ? list.handle()
            : requireBinding(account, list.handle());
    boolean others = list.devices().stream().anyMatch(d -> !isSelf(account, d));
    List<TrustedKey> before = trusted.ofAccount(account);
    List<ContactDevice> devices = new ArrayList<>();
    Map<Integer, String> left = new LinkedHashMap<>();
    Map<Integer, byte[]> newKeys = new LinkedHashMap<>();
    if (others || !before.isEmpty()) {
      // Keys are used only as the log proves them: wait (a few epochs at most) for devices the
      // server lists but the log does not hold yet, such as a device just linked.
      var once = new java.util.concurrent.atomic.AtomicReference<>(bundled);
      ProvenDevices proven =
          LogWait.waitFor(
              kt,
              // the proof that came with the list first; a wait for the log asks again
              () -> kt.provenDevices(account, handle.value(), once.getAndSet(Optional.empty())),
              value ->
                  list.devices().stream()
                      .allMatch(
                          d ->
                              isSelf(account, d)
                                  || value
                                      .devices()
                                      .entry(d.deviceId())
                                      .filter(e -> Arrays.equals(e.identityKey(), d.identityKey()))
                                      .isPresent()));
      boolean contact = !account.equals(self.accountId()); // own: owner monitoring tells
      Map<Integer, String> names = new HashMap<>();
      contacts
          .byAccount(account.value())
          .ifPresent(
              c ->
                  c.devices()
                      .forEach(
                          d -> {
                            if (d.name() != null) {
                              names.put(d.deviceId(), d.name());
                            }
                          }));
      for (TrustedKey gone : checks.retireRemoved(account, proven, before)) {
        if (contact) {
          notices.record(
              handle,
              account,
              false,
              DeviceNotice.Change.REMOVED,
              gone.device(),
              gone.identityKey(),
              Optional.ofNullable(names.get(gone.device().value())),
              proven.version());
        }
      }
      ContactCheck.FormerEntries former = checks.formerEntries(account, handle, proven);
      List<byte[]> retired = trusted.retiredKeys(account);
      List<LinkSerial> retiredSerials = trusted.retiredSerials(account);
      // read once: a device checked below is in the proven list, so none of them was retired (a
      // key trusted for another serial in the same slot was, just above)
      Map<DeviceId, TrustedKey> trustedBefore = new HashMap<>();
      before.stream()
          .filter(k -> DeviceChecks.stillListed(proven, k))
          .forEach(k -> trustedBefore.put(k.device(), k));
      for (DeviceInfo d : list.devices()) {
        if (isSelf(account, d)) {
          continue;
        }
        Optional<String> why =
            checks.check(
                account,
                handle,
                d,
                proven,
                retired,
                retiredSerials,
                former,
                newKeys,
                Optional.ofNullable(trustedBefore.get(d.deviceId())));
        if (why.isPresent()) {
          left.put(d.deviceId().value(), why.get());
        } else {
          devices.add(
              new ContactDevice(
                  d.deviceId().value(), d.registrationId(), d.identityKey(), d.name()));
          // a device new since this device first proved the list is news; the first proof is not
          if (contact && !before.isEmpty() && !trustedBefore.containsKey(d.deviceId())) {
            notices.record(
                handle,
                account,
                false,
                DeviceNotice.Change.ADDED,
                d.deviceId(),
                d.identityKey(),
                Optional.ofNullable(d.name()),
                proven.version());
          }
        }
      }
      if (contact) {
        checks.supersedeChangedKeys(account, handle, newKeys);
      }
    }
    list.devices().stream()
        .filter(d -> isSelf(account, d))
        .findFirst()
        .ifPresent(
            d ->
                // this device as it is, not as the server states it (the safety number uses it)
                devices.add(
                    new ContactDevice(
                        d.deviceId().value(), d.registrationId(), selfKey.bytes(), d.name())));
    devices.sort(java.util.Comparator.comparingInt(ContactDevice::deviceId));
    refused.put(account.value(), Map.copyOf(left));
    changed.put(account.value(), Map.copyOf(newKeys));
    contacts.save(account.value(), handle.value(), devices, left);
    return contacts.byAccount(account.value()).orElseThrow();
  }

  /**
   * The person accepts a proven key that replaced the one trusted for a contact's device, after
   * comparing safety numbers: it must be what the log proves now and pass the device checks.
   */
  void acceptChangedKey(Handle handle, DeviceId device, String fingerprint) {
    AccountId account = api.lookup(handle).accountId();
    requireBinding(account, handle);
    ProvenDevices proven = kt.provenDevices(account, handle.value());
    DeviceListValue.Entry entry =
        proven
            .devices()
            .entry(device)
            .orElseThrow(
                () ->
                    new ClientException(
                        "the key-transparency log lists no device "
                            + device
                            + " for "
                            + handle.value()));
    if (!Fingerprints.matches(Fingerprints.of(entry.identityKey()), fingerprint)) {
      throw new ClientException(
          "the key the log now proves for device "
              + device
              + " of "
              + handle.value()
              + " is "
              + Fingerprints.of(entry.identityKey())
              + ", not the "
              + fingerprint
              + " you compared; run parley verify "
              + handle.value()
              + " again");
    }
    Optional<String> refusal =
        ContactCheck.refusal(
            account,
            proven.devices(),
            entry,
            Optional.empty(),
            trusted.retiredKeys(account),
            trusted.retiredSerials(account),
            checks.formerEntries(account, handle, proven));
    if (refusal.isPresent()) {
      throw new ClientException(
          "not accepting device " + device + " of " + handle.value() + ": " + refusal.get());
    }
    trusted.acceptReplacement(
        account,
        device,
        entry.serial(),
        new IdentityPublicKey(entry.identityKey()),
        proven.version());
    kt.resolve(
        KtAlarm.Kind.CHANGED_KEY,
        handle.value(),
        device,
        KtAlarm.Status.ACCEPTED,
        "you accepted the key "
            + Fingerprints.of(entry.identityKey())
            + " for device "
            + device
            + " of "
            + handle.value()
            + " after comparing safety numbers");
    refresh(account);
  }

  /** See {@link DeviceChecks#formerHolder}. */
  Optional<DeviceListValue.Entry> formerHolder(
      AccountId account, Handle handle, DeviceId device, byte[] key) {
    return checks.formerHolder(account, handle, device, key);
  }

  /** See {@link SelfProof#requireSelfProven()}. */
  void requireSelfProven() {
    selfProof.requireSelfProven();
  }

  /** See {@link SelfProof#requireSelfProven(Optional)}. */
  void requireSelfProven(Optional<byte[]> approverKey) {
    selfProof.requireSelfProven(approverKey);
  }

  private boolean isSelf(AccountId account, DeviceInfo d) {
    return new RemoteAddress(account, d.deviceId()).equals(self);
  }

  /**
   * Checks that a key a bundle carries is the one trusted for its device; nothing else may start a
   * session.
   *
   * @throws UntrustedIdentityException if it is not
   */
  void requireTrusted(AccountId account, Handle handle, DeviceId device, byte[] identityKey) {
    Optional<TrustedKey> key = trusted.find(account, device);
    if (key.isEmpty() || !Arrays.equals(key.get().identityKey(), identityKey)) {
      throw new UntrustedIdentityException(
          "the server gave a key for device "
              + device
              + " of "
              + handle
              + " that the key-transparency log did not prove");
    }
  }
}
