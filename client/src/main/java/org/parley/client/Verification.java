package org.parley.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.parley.client.kt.KeyTransparency;
import org.parley.client.store.ContactStore.Contact;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.SafetyNumbers;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * What a person checks: safety numbers over the keys the log proves, what the log proves about a
 * contact, this device's own key-transparency duties and their alarms, and accepting a changed key
 * after comparing in person.
 */
final class Verification {
  private final LocalDevice local;

  Verification(LocalDevice local) {
    this.local = local;
  }

  /** See {@link ParleyClient#safetyNumber(String)}. */
  String safetyNumber(String handle) {
    return local.locked(
        () -> {
          Session s = local.session();
          Contact peer =
              s.directory().byHandle(DeviceSetup.parseHandle(handle, s.handle()::domain));
          Contact own = s.directory().refresh(s.account());
          s.directory().requireSelfProven();
          return SafetyNumbers.safetyNumber(
              AccountId.of(own.accountId()),
              keysOf(own),
              AccountId.of(peer.accountId()),
              keysOf(peer));
        });
  }

  private static List<IdentityPublicKey> keysOf(Contact contact) {
    return contact.devices().stream().map(d -> new IdentityPublicKey(d.identityKey())).toList();
  }

  /** See {@link ParleyClient#monitorKeyTransparency()}. */
  List<ClientEvent> monitor() {
    Session s = local.session();
    return local.locked(
        () -> {
          long before = s.kt().lastAlarmId();
          local.notices.drain();
          try {
            s.kt().monitorOwnAccount();
            s.kt().monitorContacts();
          } catch (KtAlarmException e) {
            // stored, and reported with the others below
          }
          return local.withNews(s, before, List.of());
        });
  }

  /** See {@link ParleyClient#requireAuditor(String, Duration)}. */
  void requireAuditor(String auditorPublicKey, Duration maxLag) {
    byte[] key = auditorPublicKey == null ? null : Base64.getUrlDecoder().decode(auditorPublicKey);
    local.locked(
        () -> {
          local.session().kt().requireAuditor(key, maxLag.toMillis());
          return null;
        });
  }

  /** See {@link ParleyClient#acceptChangedKey(String, int, String)}. */
  void acceptChangedKey(String handle, int deviceId, String fingerprint) {
    local.locked(
        () -> {
          Session s = local.session();
          s.directory()
              .acceptChangedKey(
                  DeviceSetup.parseHandle(handle, s.handle()::domain),
                  DeviceId.of(deviceId),
                  fingerprint);
          return null;
        });
  }

  /** See {@link ParleyClient#verify(String)}. */
  KtStatus verify(String handle) {
    return local.locked(
        () -> {
          Session s = local.session();
          Handle peer = DeviceSetup.parseHandle(handle, s.handle()::domain);
          Contact contact = s.directory().byHandle(peer);
          AccountId account = AccountId.of(contact.accountId());
          KeyTransparency.ProvenDevices proven = s.kt().provenDevices(account, peer.value());
          Contact own = s.directory().refresh(s.account());
          s.directory().requireSelfProven();
          String safety =
              SafetyNumbers.safetyNumber(
                  AccountId.of(own.accountId()), keysOf(own), account, keysOf(contact));
          Map<Integer, byte[]> changedKeys = s.directory().changedKeys(account);
          Optional<String> withChanged = Optional.empty();
          if (!changedKeys.isEmpty()) {
            List<IdentityPublicKey> candidate = new ArrayList<>(keysOf(contact));
            changedKeys.values().forEach(k -> candidate.add(new IdentityPublicKey(k)));
            withChanged =
                Optional.of(
                    SafetyNumbers.safetyNumber(
                        AccountId.of(own.accountId()), keysOf(own), account, candidate));
          }
          Map<Integer, String> fingerprints = new TreeMap<>();
          changedKeys.forEach((id, k) -> fingerprints.put(id, Fingerprints.of(k)));
          var head = s.kt().trustedHead().orElseThrow();
          List<KtAlarm> alarms =
              s.kt().alarms().stream()
                  .filter(
                      a ->
                          a.subject().equals(peer.value())
                              || a.subject().equals("log")
                              || a.subject().equals("server"))
                  .toList();
          return new KtStatus(
              peer.value(),
              account.value(),
              proven.version(),
              proven.devices().entries().stream().map(e -> e.deviceId().value()).toList(),
              Set.copyOf(s.directory().refusedDevices(account).keySet()),
              head.treeSize(),
              HexFormat.of().formatHex(head.root().toByteArray()),
              safety,
              alarms,
              Map.copyOf(fingerprints),
              withChanged);
        });
  }
}
