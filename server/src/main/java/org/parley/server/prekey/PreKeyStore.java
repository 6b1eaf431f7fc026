package org.parley.server.prekey;

import java.util.List;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;

/** The prekeys of devices. Signatures are verified by the caller before anything is stored. */
public interface PreKeyStore {
  /**
   * Stores whatever of the four is given (null or empty: leave as is) in one transaction. A
   * one-time key whose id is already stored for the device replaces the stored one.
   *
   * @return false if the device does not exist (nothing stored)
   */
  boolean update(
      AccountId accountId,
      DeviceId deviceId,
      SignedPreKey signedPreKey,
      KyberPreKey lastResortKyberPreKey,
      List<PreKey> preKeys,
      List<KyberPreKey> kyberPreKeys);

  KeyCounts counts(AccountId accountId, DeviceId deviceId);

  /**
   * Atomically takes the device's bundle: removes and returns its oldest one-time EC prekey (if
   * any) and oldest one-time Kyber prekey, falling back to the last-resort Kyber prekey, which
   * stays. Two concurrent callers never get the same one-time key.
   */
  default Optional<DeviceBundle> takeBundle(AccountId accountId, DeviceId deviceId) {
    return takeBundle(accountId, deviceId, true);
  }

  /**
   * As {@link #takeBundle(AccountId, DeviceId)}; with {@code oneTimeKeys} false it takes nothing:
   * the bundle has no one-time EC prekey and the last-resort Kyber prekey.
   */
  Optional<DeviceBundle> takeBundle(AccountId accountId, DeviceId deviceId, boolean oneTimeKeys);
}
