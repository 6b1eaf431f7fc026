package org.parley.crypto;

import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;

/**
 * The one mapping between the wire's key records (docs/spec/api.md) and this module's: what a
 * device publishes (its keys, and its registration with its approval of its own key), and the
 * bundles it fetches. Clients, the load generator and test devices all go through it.
 */
public final class WireKeys {
  private WireKeys() {}

  /**
   * Everything a new device publishes: identity key, registration id, a signed prekey, a
   * last-resort Kyber prekey and {@code oneTimeKeys} one-time keys of each kind (generated and
   * stored by {@code crypto}).
   */
  public static DeviceKeys newDeviceKeys(DeviceCrypto crypto, int oneTimeKeys) {
    return new DeviceKeys(
        crypto.registrationId(),
        crypto.identityKey().bytes(),
        wire(crypto.newSignedPreKey()),
        wire(crypto.newLastResortKyberPreKey()),
        oneTimeKeys == 0
            ? List.of()
            : crypto.newPreKeys(oneTimeKeys).stream().map(WireKeys::wire).toList(),
        oneTimeKeys == 0
            ? List.of()
            : crypto.newKyberPreKeys(oneTimeKeys).stream().map(WireKeys::wire).toList());
  }

  /**
   * A registration of {@code keys} (this device's) as device 1 of a new account: under a fresh
   * random account id, which the client proposes so that the device can sign {@code ktApproval},
   * its approval of its own key for that account ({@link DeviceCrypto#approveDevice}).
   */
  public static RegisterRequest registration(
      DeviceCrypto crypto, Handle handle, String password, String deviceName, DeviceKeys keys) {
    AccountId proposed = AccountId.random();
    return new RegisterRequest(
        handle,
        proposed,
        password,
        deviceName,
        keys,
        crypto.approveDevice(proposed, crypto.identityKey()));
  }

  public static SignedPreKey wire(SignedPreKeyPublic key) {
    return new SignedPreKey(key.keyId(), key.publicKey(), key.signature());
  }

  public static KyberPreKey wire(KyberPreKeyPublic key) {
    return new KyberPreKey(key.keyId(), key.publicKey(), key.signature());
  }

  public static PreKey wire(PreKeyPublic key) {
    return new PreKey(key.keyId(), key.publicKey());
  }

  /**
   * A fetched bundle of a device of {@code account}, ready for {@link DeviceCrypto#startSession}.
   */
  public static PreKeyBundle bundle(AccountId account, DeviceBundle b) {
    return new PreKeyBundle(
        new RemoteAddress(account, b.deviceId()),
        b.registrationId(),
        new IdentityPublicKey(b.identityKey()),
        new SignedPreKeyPublic(
            b.signedPreKey().keyId(), b.signedPreKey().publicKey(), b.signedPreKey().signature()),
        b.preKey() == null ? null : new PreKeyPublic(b.preKey().keyId(), b.preKey().publicKey()),
        new KyberPreKeyPublic(
            b.kyberPreKey().keyId(), b.kyberPreKey().publicKey(), b.kyberPreKey().signature()));
  }
}
