package org.parley.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.client.kt.ContactCheck;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.kt.KeyTransparency.ProvenDevices;
import org.parley.client.trust.TrustedKeys;
import org.parley.client.trust.TrustedKeys.TrustedKey;
import org.parley.crypto.IdentityChangedException;
import org.parley.crypto.IdentityPublicKey;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;

/**
 * The checks a listed device of another account passes before its key is used (each device on its
 * own, so one that fails is left out with its reason): the log proves its key, a changed key is the
 * person's to accept, its approval checks out ({@link ContactCheck}), and it is no removed device
 * come back. Also where an approver or a slot's former holder that left the list is found.
 */
final class DeviceChecks {
  private final IdentityTrust trust;
  private final TrustedKeys trusted;
  private final KeyTransparency kt;

  DeviceChecks(IdentityTrust trust, TrustedKeys trusted, KeyTransparency kt) {
    this.trust = trust;
    this.trusted = trusted;
    this.kt = kt;
  }

  /**
   * A changed-key alarm about a device is over once the log no longer proves another key than the
   * trusted one for it (the device left the list, or the key is the trusted one again); it is kept,
   * marked superseded.
   */
  void supersedeChangedKeys(AccountId account, Handle handle, Map<Integer, byte[]> newKeys) {
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
  Optional<String> check(
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
  List<TrustedKey> retireRemoved(AccountId account, ProvenDevices proven, List<TrustedKey> before) {
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
  static boolean stillListed(ProvenDevices proven, TrustedKey key) {
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
  ContactCheck.FormerEntries formerEntries(AccountId account, Handle handle, ProvenDevices proven) {
    ListVersions lists = new ListVersions(account, handle);
    lists.known(proven.version(), proven.devices());
    return entry -> {
      long high = // proven.version() holds the entry
          lists.firstHolding(
              proven.version(),
              list -> list.entry(entry.deviceId()).filter(entry::equals).isPresent());
      Optional<DeviceListValue.Entry> before =
          high == 0 ? Optional.empty() : lists.at(high - 1).bySerial(entry.approver());
      if (before.isPresent()) {
        return before;
      }
      // An approver linked in the same version: link serials only grow, so it must be newer than
      // every device of the version before (a removed device put back is not), and its own
      // approval must check out within that version.
      DeviceListValue added = lists.at(high);
      Optional<DeviceListValue.Entry> same = added.bySerial(entry.approver());
      long newestBefore = high == 0 ? 0 : lists.at(high - 1).greatestSerial().value();
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
    ListVersions lists = new ListVersions(account, handle);
    LinkSerial holder = now.get().serial();
    long high = // the version it was trusted at holds it, and it stays from its first on
        lists.firstHolding(
            now.get().labelVersion(),
            list -> list.entry(device).filter(e -> e.serial().equals(holder)).isPresent());
    for (long v = high - 1; v >= 0 && v >= high - 1 - FORMER_HOLDER_LOOK_BACK; v--) {
      Optional<DeviceListValue.Entry> there = lists.at(v).entry(device);
      if (there.isPresent()) {
        return there.filter(e -> Arrays.equals(e.identityKey(), key));
      }
    }
    return Optional.empty();
  }

  /**
   * Verified fixed-version searches of one account's device list, each version asked at most once
   * (every one is a round trip and a proof to check).
   */
  private final class ListVersions {
    private final Map<Long, DeviceListValue> versions = new HashMap<>();
    private final AccountId account;
    private final Handle handle;

    ListVersions(AccountId account, Handle handle) {
      this.account = account;
      this.handle = handle;
    }

    void known(long version, DeviceListValue list) {
      versions.put(version, list);
    }

    DeviceListValue at(long version) {
      return versions.computeIfAbsent(
          version, v -> kt.provenDevicesAt(account, v, handle.value()).devices());
    }

    /**
     * The first version at or below {@code last} from which {@code holds} is true up to {@code
     * last}: it holds at {@code last}, and once true it stays true (an entry never changes once
     * published, and a removed one never comes back), so a binary search finds it.
     */
    long firstHolding(long last, java.util.function.Predicate<DeviceListValue> holds) {
      long low = 0;
      long high = last;
      while (low < high) {
        long mid = low + (high - low) / 2;
        if (holds.test(at(mid))) {
          high = mid;
        } else {
          low = mid + 1;
        }
      }
      return high;
    }
  }
}
