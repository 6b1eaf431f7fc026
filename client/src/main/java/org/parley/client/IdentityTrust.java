package org.parley.client;

import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * Decides whether an identity key the server's directory states for a device (in a device list, a
 * prekey bundle or a link request) may be used. It runs after key transparency: the client only
 * asks about keys the verified log proves (see {@code Directory} and {@code client.kt}) when a
 * device's proven key differs from the one trusted before.
 */
public interface IdentityTrust {

  /** What the directory said about one device. */
  record DeviceKey(AccountId account, Handle handle, DeviceId device, byte[] identityKey) {}

  /** The decision about one device key. */
  sealed interface Decision {
    /** Use the key. */
    record Trusted() implements Decision {}

    /** Do not use the key, and say why. */
    record Refused(String reason) implements Decision {}
  }

  /**
   * Decides about {@code key}, given the key trusted for the same device so far (if any).
   * Implementations do no local writes; the client records a trusted key itself.
   */
  Decision decide(DeviceKey key, Optional<byte[]> previouslyTrusted);

  /**
   * Refuses a proven key that differs from the one trusted for the same device before (same id and
   * link serial: serials are never reused and a device never changes its key, so a changed key
   * means the server or the log changed its story): only the person's explicit decision replaces
   * it. Keys reach this policy only once the key-transparency log proved them and their approvals
   * verified.
   */
  static IdentityTrust refuseChangedKeys() {
    return (key, previous) -> {
      if (previous.isEmpty()
          || java.security.MessageDigest.isEqual(previous.get(), key.identityKey())) {
        return new Decision.Trusted();
      }
      return new Decision.Refused(
          "the server now gives a different identity key for device "
              + key.device()
              + " of "
              + key.handle()
              + " than before");
    };
  }
}
