package org.parley.client;

import java.util.List;
import org.parley.client.transport.ServerApi;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.WireKeys;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.UploadKeysRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Generates this device's prekeys in wire form, and refills them on the server when low. */
final class PreKeys {
  /** One-time keys of each kind generated at registration and per refill. */
  static final int BATCH = DeviceKeys.MAX_BATCH;

  private static final Logger log = LoggerFactory.getLogger(PreKeys.class);

  private PreKeys() {}

  /** Everything a new device publishes: identity, signed and last-resort keys, 100 of each kind. */
  static DeviceKeys initialKeys(DeviceCrypto crypto) {
    return WireKeys.newDeviceKeys(crypto, BATCH);
  }

  /**
   * Uploads a batch of each kind the server holds fewer than the threshold of.
   *
   * @return the counts the server reported before the refill
   */
  static KeyCounts refillIfLow(DeviceCrypto crypto, ServerApi api) {
    KeyCounts counts = api.keyStatus();
    refill(crypto, api, counts);
    return counts;
  }

  /** Uploads a batch of each kind {@code counts} says is low. */
  static void refill(DeviceCrypto crypto, ServerApi api, KeyCounts counts) {
    boolean ec = counts.preKeys() < KeyCounts.REFILL_THRESHOLD;
    boolean kyber = counts.kyberPreKeys() < KeyCounts.REFILL_THRESHOLD;
    if (!ec && !kyber) {
      return;
    }
    List<PreKey> preKeys =
        ec ? crypto.newPreKeys(BATCH).stream().map(WireKeys::wire).toList() : null;
    List<KyberPreKey> kyberPreKeys =
        kyber ? crypto.newKyberPreKeys(BATCH).stream().map(WireKeys::wire).toList() : null;
    api.uploadKeys(new UploadKeysRequest(null, null, preKeys, kyberPreKeys));
    log.info(
        "uploaded {} one-time EC and {} Kyber prekeys",
        preKeys == null ? 0 : preKeys.size(),
        kyberPreKeys == null ? 0 : kyberPreKeys.size());
  }
}
