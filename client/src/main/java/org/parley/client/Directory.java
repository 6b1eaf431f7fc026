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
import java.util.function.Supplier;
import org.parley.client.kt.ContactCheck;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.KeyTransparency.ProvenDevices;
import org.parley.client.kt.KtAlarm;
import org.parley.client.kt.NotPublishedException;
import org.parley.client.store.ContactStore;
import org.parley.client.store.ContactStore.Contact;
import org.parley.client.store.ContactStore.ContactDevice;
import org.parley.client.transport.ServerApi;
import org.parley.client.trust.IdentityTrust;
import org.parley.client.trust.TrustedKeys;
import org.parley.client.trust.TrustedKeys.TrustedKey;
import org.parley.crypto.IdentityChangedException;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.RemoteAddress;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
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
  /** How many epochs to wait for the log to publish what the server already lists. */
  private static final int PUBLICATION_WAIT_EPOCHS = 4;

  /**
   * The least time to wait for it, whatever the epoch: a busy server publishes late, and with short
   * epochs four of them are less than its scheduling jitter.
   */
  private static final long MIN_PUBLICATION_WAIT_MILLIS = 2_000;

  private final ServerApi api;
  private final ContactStore contacts;
  private final IdentityTrust trust;
  private final TrustedKeys trusted;
  private final RemoteAddress self;
  private final Handle selfHandle;
  private final IdentityPublicKey selfKey;
  private final KeyTransparency kt;
  private final DeviceNotices notices;

  /** Per account, the listed devices the last check refused, with why. */
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
      DeviceNotices notices) {
    this.api = api;
    this.contacts = contacts;
    this.trust = trust;
    this.trusted = trusted;
    this.self = self;
    this.selfHandle = selfHandle;
    this.selfKey = selfKey;
    this.kt = kt;
    this.notices = notices;
  }

  /** The devices of {@code account} the last check left out, by id, with the reason. */
  Map<Integer, String> refusedDevices(AccountId account) {
    return refused.getOrDefault(account.value(), Map.of());
  }

  /** Leaves one more device of {@code account} out of what is sent (its bundle failed). */
  void refuse(AccountId account, int device, String why) {
    refused.compute(
        account.value(),
        (a, before) -> {
          Map<Integer, String> next = new java.util.TreeMap<>(before == null ? Map.of() : before);
          next.put(device, why);
          return Map.copyOf(next);
        });
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
    requireBinding(account, handle);
    return apply(api.devices(account));
  }

  /** Fetches an account's device list and trusts its proven keys. */
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

  /**
   * Proves that {@code handle} names {@code account}: this account's own handle, a binding this
   * device proved before (kept in the contact cache, which holds nothing else), or a verified
   * search of the handle's label now.
   *
   * @throws org.parley.client.kt.KtAlarmException if the log binds the handle to another account
   *     (the alarm is kept)
   * @throws NotPublishedException if the log does not hold the handle
   */
  Handle requireBinding(AccountId account, Handle handle) {
    return requireBinding(account, handle, null);
  }

  /** {@link #requireBinding(AccountId, Handle)}; an alarm keeps {@code evidence}. */
  Handle requireBinding(AccountId account, Handle handle, byte[] evidence) {
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
    AccountId proven = waitFor(() -> kt.provenAccount(handle), value -> true);
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
    AccountId account = list.accountId();
    Handle handle = requireBinding(account, list.handle());
    boolean others = list.devices().stream().anyMatch(d -> !isSelf(account, d));
    List<TrustedKey> before = trusted.ofAccount(account);
    List<ContactDevice> devices = new ArrayList<>();
    Map<Integer, String> left = new LinkedHashMap<>();
    Map<Integer, byte[]> newKeys = new LinkedHashMap<>();
    if (others || !before.isEmpty()) {
      // Keys are used only as the log proves them: wait (a few epochs at most) for devices the
      // server lists but the log does not hold yet, such as a device just linked.
      ProvenDevices proven =
          waitFor(
              () -> kt.provenDevices(account, handle.value()),
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
      for (TrustedKey gone : retireRemoved(account, proven, before)) {
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
      ContactCheck.FormerEntries former = formerEntries(account, handle, proven);
      List<byte[]> retired = trusted.retiredKeys(account);
      List<LinkSerial> retiredSerials = trusted.retiredSerials(account);
      // read once: a device checked below is in the proven list, so none of them was retired (a
      // key trusted for another serial in the same slot was, just above)
      Map<DeviceId, TrustedKey> trustedBefore = new HashMap<>();
      before.stream()
          .filter(k -> stillListed(proven, k))
          .forEach(k -> trustedBefore.put(k.device(), k));
      for (DeviceInfo d : list.devices()) {
        if (isSelf(account, d)) {
          continue;
        }
        Optional<String> why =
            check(
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
        supersedeChangedKeys(account, handle, newKeys);
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
    contacts.save(account.value(), handle.value(), devices);
    return contacts.byAccount(account.value()).orElseThrow();
  }

  /**
   * A changed-key alarm about a device is over once the log no longer proves another key than the
   * trusted one for it (the device left the list, or the key is the trusted one again); it is kept,
   * marked superseded.
   */
  private void supersedeChangedKeys(
      AccountId account, Handle handle, Map<Integer, byte[]> newKeys) {
    kt.openAlarms(handle.value()).stream()
        .filter(a -> a.kind() == KtAlarm.Kind.CHANGED_KEY && a.device().isPresent())
        .map(a -> a.device().get())
        .distinct()
        .filter(device -> !newKeys.containsKey(device.value()))
        .forEach(
            device ->
                kt.resolve(
                    KtAlarm.Kind.CHANGED_KEY,
                    handle.value(),
                    device,
                    KtAlarm.Status.SUPERSEDED,
                    "the key-transparency log no longer"
                        + " proves a key for device "
                        + device
                        + " of "
                        + handle.value()
                        + " other than"
                        + " the one trusted for it"));
  }

  /** Why one listed device must not be used, or empty once its key is trusted. */
  private Optional<String> check(
      AccountId account,
      Handle handle,
      DeviceInfo d,
      ProvenDevices proven,
      List<byte[]> retired,
      List<LinkSerial> retiredSerials,
      ContactCheck.FormerEntries former,
      Map<Integer, byte[]> newKeys,
      Optional<TrustedKey> before) {
    Optional<DeviceListValue.Entry> entry =
        proven
            .devices()
            .entry(d.deviceId())
            .filter(e -> Arrays.equals(e.identityKey(), d.identityKey()));
    if (entry.isEmpty()) {
      String device = "device " + d.deviceId() + " of " + handle.value();
      Optional<DeviceListValue.Entry> logged = proven.devices().entry(d.deviceId());
      if (logged.isPresent()) {
        // the directory and the log of an honest server never disagree on a published key
        String why =
            "the server's directory lists "
                + device
                + " with a key the"
                + " key-transparency log does not prove (the log proves another key, "
                + Fingerprints.of(logged.get().identityKey())
                + ", for it): the server offers a key"
                + " of its own for "
                + handle.value()
                + ", and Parley does not encrypt to it";
        kt.raiseOnce(
            KtAlarm.Kind.DIRECTORY_MISMATCH,
            handle.value(),
            Optional.of(d.deviceId()),
            why,
            proven.response());
        return Optional.of(why);
      }
      return Optional.of(
          "the server lists "
              + device
              + ", but the key-transparency log does"
              + " not hold it: a device linked in the last seconds is not published yet; otherwise"
              + " the server offers a device its log does not prove. Parley does not encrypt to it");
    }
    if (before.isPresent() && !Arrays.equals(before.get().identityKey(), d.identityKey())) {
      IdentityTrust.Decision decision =
          trust.decide(
              new IdentityTrust.DeviceKey(account, handle, d.deviceId(), d.identityKey()),
              Optional.of(before.get().identityKey()));
      if (decision instanceof IdentityTrust.Decision.Refused refusal) {
        String fingerprint = Fingerprints.of(d.identityKey());
        String why =
            refusal.reason()
                + " (new key "
                + fingerprint
                + "). Run parley verify "
                + handle.value()
                + " and compare the safety number it shows for the new key with "
                + handle.value()
                + " in person; if they match, accept it with: parley verify "
                + handle.value()
                + " --accept-key "
                + d.deviceId()
                + ":"
                + fingerprint;
        kt.raiseOnce(
            KtAlarm.Kind.CHANGED_KEY,
            handle.value(),
            Optional.of(d.deviceId()),
            why,
            proven.response());
        newKeys.put(d.deviceId().value(), d.identityKey());
        return Optional.of(why);
      }
      // the policy accepted the change: a replacement, never a silent one
      Optional<String> refusal =
          ContactCheck.refusal(
              account,
              proven.devices(),
              entry.get(),
              Optional.empty(),
              retired,
              retiredSerials,
              former);
      if (refusal.isPresent()) {
        return Optional.of(refusal.get());
      }
      trusted.acceptReplacement(
          account,
          d.deviceId(),
          entry.get().serial(),
          new IdentityPublicKey(d.identityKey()),
          proven.version());
      return Optional.empty();
    }
    Optional<String> refusal =
        ContactCheck.refusal(
            account,
            proven.devices(),
            entry.get(),
            before.map(TrustedKey::identityKey),
            retired,
            retiredSerials,
            former);
    if (refusal.isPresent()) {
      KtAlarm.Kind kind =
          refusal.get().contains("removed")
              ? KtAlarm.Kind.REVIVED_DEVICE
              : KtAlarm.Kind.UNAPPROVED_DEVICE;
      String why =
          "the key-transparency log lists a device of "
              + handle.value()
              + " that Parley will not use: "
              + refusal.get();
      kt.raiseOnce(kind, handle.value(), Optional.of(d.deviceId()), why, proven.response());
      return Optional.of(why);
    }
    if (before.isEmpty()) {
      try {
        trusted.trustProven(
            account,
            d.deviceId(),
            entry.get().serial(),
            new IdentityPublicKey(d.identityKey()),
            proven.version());
      } catch (IllegalArgumentException | IdentityChangedException e) {
        return Optional.of(
            "device " + d.deviceId() + "'s key cannot be trusted: " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * Devices trusted before that the proven list no longer holds were removed: retire them (key and
   * session forgotten) and return them. A slot the list now gives another link serial holds another
   * device, so the one trusted there was removed too, and the session with it must not carry over
   * to the new one.
   */
  private List<TrustedKey> retireRemoved(
      AccountId account, ProvenDevices proven, List<TrustedKey> before) {
    List<TrustedKey> gone = new ArrayList<>();
    for (TrustedKey key : before) {
      if (!stillListed(proven, key)) {
        trusted.retire(account, key.device(), key.serial(), key.identityKey());
        gone.add(key);
      }
    }
    return gone;
  }

  /** True if the proven list still holds the trusted device: its slot, under its serial. */
  private static boolean stillListed(ProvenDevices proven, TrustedKey key) {
    return proven
        .devices()
        .entry(key.device())
        .filter(e -> e.serial().equals(key.serial()))
        .isPresent();
  }

  /**
   * Where an approver that left the list is checked: an entry never changes once published (a
   * device keeps its key and approval), so the versions holding it are a run that ends at the
   * greatest; a binary search of fixed-version searches finds the version that added it, and the
   * approver's entry is taken from the version before (or that one, for an approver linked in the
   * same version): what the owner's own check of that version used (keytrans-values.md).
   */
  private ContactCheck.FormerEntries formerEntries(
      AccountId account, Handle handle, ProvenDevices proven) {
    Map<Long, DeviceListValue> versions = new HashMap<>();
    versions.put(proven.version(), proven.devices());
    java.util.function.LongFunction<DeviceListValue> at =
        version ->
            versions.computeIfAbsent(
                version, v -> kt.provenDevicesAt(account, v, handle.value()).devices());
    return entry -> {
      long low = 0;
      long high = proven.version(); // holds the entry
      while (low < high) {
        long mid = low + (high - low) / 2;
        if (at.apply(mid).entry(entry.deviceId()).filter(entry::equals).isPresent()) {
          high = mid;
        } else {
          low = mid + 1;
        }
      }
      Optional<DeviceListValue.Entry> before =
          high == 0 ? Optional.empty() : at.apply(high - 1).bySerial(entry.approver());
      if (before.isPresent()) {
        return before;
      }
      // An approver linked in the same version: link serials only grow, so it must be newer than
      // every device of the version before (a removed device put back is not), and its own
      // approval must check out within that version.
      DeviceListValue added = at.apply(high);
      Optional<DeviceListValue.Entry> same = added.bySerial(entry.approver());
      long newestBefore = high == 0 ? 0 : at.apply(high - 1).greatestSerial().value();
      if (same.isEmpty()
          || same.get().serial().value() <= newestBefore
          // a historical version: keys retired since do not count against it
          || ContactCheck.refusal(
                  account, added, same.get(), Optional.empty(), List.of(), e -> Optional.empty())
              .isPresent()) {
        return Optional.empty();
      }
      return same;
    };
  }

  /** How many versions with the slot empty a look for a slot's former holder goes back over. */
  private static final int FORMER_HOLDER_LOOK_BACK = 4;

  /**
   * The entry of a removed device that held {@code device}'s slot with {@code key} before the
   * device trusted there now, as the log proves it; empty if none. A message made under that key
   * comes from the removed device (queued before its removal), not from a forger. Looks for the
   * first version of the current holder (a binary search of fixed-version searches), then back over
   * at most {@link #FORMER_HOLDER_LOOK_BACK} versions in which the slot was empty.
   */
  Optional<DeviceListValue.Entry> formerHolder(
      AccountId account, Handle handle, DeviceId device, byte[] key) {
    Optional<TrustedKey> now = trusted.find(account, device);
    if (now.isEmpty()) {
      return Optional.empty();
    }
    java.util.function.LongFunction<DeviceListValue> at =
        version -> kt.provenDevicesAt(account, version, handle.value()).devices();
    LinkSerial holder = now.get().serial();
    long low = 0;
    long high = now.get().labelVersion();
    while (low < high) {
      long mid = low + (high - low) / 2;
      if (at.apply(mid).entry(device).filter(e -> e.serial().equals(holder)).isPresent()) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    for (long v = high - 1; v >= 0 && v >= high - 1 - FORMER_HOLDER_LOOK_BACK; v--) {
      Optional<DeviceListValue.Entry> there = at.apply(v).entry(device);
      if (there.isPresent()) {
        return there.filter(e -> Arrays.equals(e.identityKey(), key));
      }
    }
    return Optional.empty();
  }

  /**
   * Checks that the log binds this device's handle to its account and proves this device in the
   * account's list with its own key: the server could otherwise have made it part of another
   * account, or show contacts another key for it, or none. Given the key of the device whose
   * approval this device accepted when it joined, the log must show that key as its approver (if
   * the approver is still listed).
   */
  void requireSelfProven() {
    requireSelfProven(Optional.empty());
  }

  /** {@link #requireSelfProven()}, checking the approver this device accepted when it joined. */
  void requireSelfProven(Optional<byte[]> approverKey) {
    AccountId account = self.accountId();
    DeviceId device = self.deviceId();
    AccountId named = waitFor(() -> kt.provenAccount(selfHandle), value -> true);
    if (!named.equals(account)) {
      throw kt.raise(
          KtAlarm.Kind.HANDLE_MISMATCH,
          selfHandle.value(),
          "the key-transparency log binds "
              + selfHandle.value()
              + " to account "
              + named.value()
              + ", not to the account "
              + account.value()
              + " the server made this device part of",
          null);
    }
    ProvenDevices proven =
        waitFor(
            () -> kt.provenDevices(account, "your account"),
            value -> value.devices().entry(device).isPresent());
    Optional<DeviceListValue.Entry> entry = proven.devices().entry(device);
    if (entry.isEmpty()) {
      // not an alarm: a slow publisher looks the same; the owner's monitoring checks every version
      throw new NotPublishedException(
          "the key-transparency log does not list this device (device "
              + device
              + ") in your account yet, so contacts cannot check it; try again in a few"
              + " seconds");
    }
    if (!Arrays.equals(entry.get().identityKey(), selfKey.bytes())) {
      throw kt.raise(
          KtAlarm.Kind.OWN_KEY_MISMATCH,
          selfHandle.value(),
          "the key-transparency log lists "
              + "device "
              + device
              + " of your account with a key that is not this device's: "
              + "someone with control of the server may be able to read messages meant for it",
          null);
    }
    Optional<DeviceListValue.Entry> approver = proven.devices().bySerial(entry.get().approver());
    if (approverKey.isPresent()
        && approver.isPresent()
        && !Arrays.equals(approver.get().identityKey(), approverKey.get())) {
      throw kt.raise(
          KtAlarm.Kind.UNAPPROVED_DEVICE,
          selfHandle.value(),
          "this device joined "
              + selfHandle.value()
              + " on an approval signed by the key "
              + Fingerprints.of(approverKey.get())
              + ", but the key-transparency log shows its approver with the key "
              + Fingerprints.of(approver.get().identityKey())
              + ": the server may have shown this "
              + "device an account it does not belong to",
          null);
    }
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
            formerEntries(account, handle, proven));
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

  private boolean isSelf(AccountId account, DeviceInfo d) {
    return new RemoteAddress(account, d.deviceId()).equals(self);
  }

  /**
   * Runs a key-transparency check, retrying for a few epochs while the log has not published what
   * the server already states ({@code done} false, or the label not in the log yet).
   */
  private <T> T waitFor(Supplier<T> check, Predicate<T> done) {
    // the epoch is bounded (KeyTransparency), so the deadline cannot overflow
    long deadline =
        System.currentTimeMillis()
            + Math.max(MIN_PUBLICATION_WAIT_MILLIS, PUBLICATION_WAIT_EPOCHS * kt.epochMillis());
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
