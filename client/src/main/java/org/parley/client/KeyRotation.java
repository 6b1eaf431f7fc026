package org.parley.client;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.parley.client.store.PublishedKeys;
import org.parley.client.store.PublishedKeys.Key;
import org.parley.client.store.PublishedKeys.Kind;
import org.parley.client.transport.ServerApi;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.KyberPreKeyPublic;
import org.parley.crypto.SignedPreKeyPublic;
import org.parley.crypto.WireKeys;
import org.parley.protocol.keys.UploadKeysRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaces this device's signed EC prekey and last-resort Kyber prekey on a schedule, and deletes
 * replaced ones after a grace period (docs/spec/crypto.md, "Rotating signed keys"). A signed key is
 * used by every sender that starts a session without a one-time key, so a long-lived one widens
 * what a later theft of this device's state exposes; the grace period keeps a replaced key for
 * messages a sender built on it before it fetched the new one (queued, or waiting in the sender's
 * outbox).
 */
final class KeyRotation {
  /** How long a signed key is published before it is replaced. */
  static final Duration ROTATE_AFTER = Duration.ofDays(7);

  /** How long a replaced key is kept, to open messages built on it before the replacement. */
  static final Duration KEEP_REPLACED = Duration.ofDays(30);

  private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

  private final DeviceCrypto crypto;
  private final PublishedKeys keys;

  KeyRotation(DeviceCrypto crypto, PublishedKeys keys) {
    this.crypto = crypto;
    this.keys = keys;
  }

  /**
   * Publishes new signed keys if the current ones are due (or a previous rotation never reached the
   * server), then deletes replaced keys past their grace period. Called under the client's lock,
   * after the queued messages were received (so none waits on a key about to go).
   */
  void rotateIfDue(ServerApi api, Instant now) {
    long at = now.toEpochMilli();
    adoptUnrecorded(at);
    boolean ec = due(Kind.SIGNED_EC, at);
    boolean kyber = due(Kind.LAST_RESORT_KYBER, at);
    if (ec || kyber) {
      SignedPreKeyPublic signed = ec ? crypto.newSignedPreKey() : null;
      KyberPreKeyPublic lastResort = kyber ? crypto.newLastResortKyberPreKey() : null;
      if (signed != null) {
        keys.add(Kind.SIGNED_EC, signed.keyId(), at, Optional.empty());
      }
      if (lastResort != null) {
        keys.add(Kind.LAST_RESORT_KYBER, lastResort.keyId(), at, Optional.empty());
      }
      // Recorded before the upload: if it fails or this process dies, the key stays "not
      // accepted", the next check publishes a newer one, and this one is deleted after the grace
      // period like any replaced key (the server may have accepted it after all).
      api.uploadKeys(
          new UploadKeysRequest(
              signed == null ? null : WireKeys.wire(signed),
              lastResort == null ? null : WireKeys.wire(lastResort),
              null,
              null));
      if (signed != null) {
        keys.accepted(Kind.SIGNED_EC, signed.keyId(), at);
      }
      if (lastResort != null) {
        keys.accepted(Kind.LAST_RESORT_KYBER, lastResort.keyId(), at);
      }
      log.info(
          "published a new{}{}",
          ec ? " signed EC prekey" : "",
          kyber ? (ec ? " and last-resort Kyber prekey" : " last-resort Kyber prekey") : "");
    }
    prune(Kind.SIGNED_EC, at);
    prune(Kind.LAST_RESORT_KYBER, at);
  }

  /** The key registration or linking published before this profile kept a record: from now. */
  private void adoptUnrecorded(long at) {
    for (Kind kind : Kind.values()) {
      List<Integer> ids = keys.unrecorded(kind);
      if (ids.size() == 1 && keys.all(kind).isEmpty()) {
        keys.add(kind, ids.get(0), at, Optional.of(at));
      }
    }
  }

  /** Whether {@code kind}'s current key is older than the schedule, or none was accepted. */
  private boolean due(Kind kind, long at) {
    List<Key> live = keys.all(kind).stream().filter(k -> !k.replaced()).toList();
    Optional<Key> current = live.stream().filter(Key::uploaded).reduce((a, b) -> b);
    return current.isEmpty()
        || at - current.get().uploadedAt() >= ROTATE_AFTER.toMillis()
        || live.stream().anyMatch(k -> !k.uploaded()); // a rotation that never reached the server
  }

  private void prune(Kind kind, long at) {
    for (Key key : keys.all(kind)) {
      if (key.replaced() && at - key.replacedAt() >= KEEP_REPLACED.toMillis()) {
        if (kind == Kind.SIGNED_EC) {
          crypto.deleteSignedPreKey(key.keyId());
        } else {
          crypto.deleteKyberPreKey(key.keyId());
        }
        keys.remove(kind, key.keyId());
        log.info(
            "deleted a {} replaced {} days ago",
            kind,
            Duration.ofMillis(at - key.replacedAt()).toDays());
      }
    }
  }
}
