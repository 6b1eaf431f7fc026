package org.parley.server;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.crypto.KyberPreKeyPublic;
import org.parley.crypto.SignedPreKeyPublic;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKey;
import org.parley.protocol.keys.SignedPreKey;
import org.parley.protocol.kt.DeviceApprovalStatement;
import org.parley.protocol.link.ApprovalStatement;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkCode;

/** A client device in tests: real libsignal keys over in-memory state, and its password. */
final class TestDevice {
  private static final SecureRandom RANDOM = new SecureRandom();

  final DeviceCrypto crypto = DeviceCrypto.initialize(new InMemoryProtocolState());
  final String password = randomPassword();
  AccountId accountId;
  Handle handle;
  DeviceId deviceId;

  static String randomPassword() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * A registration request for this device under a fresh client-proposed account id, with device
   * 1's ktApproval of its own key ({@code keys.identityKey()}).
   */
  RegisterRequest registration(Handle handle, String deviceName, DeviceKeys keys) {
    AccountId proposed = AccountId.random();
    return new RegisterRequest(
        handle, proposed, password, deviceName, keys, ktApproval(proposed, keys.identityKey()));
  }

  /** This device's signature over the key-transparency device approval statement. */
  byte[] ktApproval(AccountId account, byte[] approvedKey) {
    return crypto.sign(DeviceApprovalStatement.bytes(account, approvedKey));
  }

  /** An honest approval, by this device, of a link request for {@code newKey}. */
  ApproveLinkRequest linkApproval(LinkCode code, byte[] newKey) {
    return new ApproveLinkRequest(
        crypto.sign(ApprovalStatement.bytes(accountId, handle, code, newKey)),
        ktApproval(accountId, newKey));
  }

  Credentials credentials() {
    return new Credentials(accountId, deviceId, password);
  }

  byte[] identityKey() {
    return crypto.identityKey().bytes();
  }

  DeviceKeys keys(int preKeys, int kyberPreKeys) {
    return new DeviceKeys(
        crypto.registrationId(),
        identityKey(),
        signedPreKey(),
        kyber(crypto.newLastResortKyberPreKey()),
        preKeys(preKeys),
        kyberPreKeys(kyberPreKeys));
  }

  SignedPreKey signedPreKey() {
    SignedPreKeyPublic k = crypto.newSignedPreKey();
    return new SignedPreKey(k.keyId(), k.publicKey(), k.signature());
  }

  List<PreKey> preKeys(int n) {
    return n == 0
        ? List.of()
        : crypto.newPreKeys(n).stream().map(p -> new PreKey(p.keyId(), p.publicKey())).toList();
  }

  List<KyberPreKey> kyberPreKeys(int n) {
    return n == 0 ? List.of() : crypto.newKyberPreKeys(n).stream().map(TestDevice::kyber).toList();
  }

  static KyberPreKey kyber(KyberPreKeyPublic k) {
    return new KyberPreKey(k.keyId(), k.publicKey(), k.signature());
  }

  org.parley.crypto.RemoteAddress address() {
    return new org.parley.crypto.RemoteAddress(accountId, deviceId);
  }

  /**
   * A group message from this device, sealed for {@code members} (each given this device's new
   * chain first, as over the one-to-one sessions): the payload of a sealed group upload.
   */
  byte[] sealedGroupMessage(TestServer server, List<TestDevice> members, byte[] text)
      throws Exception {
    java.util.UUID chain = java.util.UUID.randomUUID();
    byte[] distribution = crypto.senderKeys().distribution(address(), chain);
    for (TestDevice m : members) {
      if (!crypto.hasSession(m.address())) {
        startSessionWith(server, m);
      }
      m.crypto.senderKeys().process(address(), distribution);
    }
    byte[] certificate =
        server
            .get("/v1/certificate/sender", credentials())
            .as(org.parley.protocol.sealed.SenderCertificateResponse.class)
            .certificate();
    return crypto
        .sealedSender()
        .sealForGroup(
            address(),
            members.stream()
                .map(
                    m ->
                        new org.parley.crypto.SealedSender.Recipient(
                            m.address(), m.crypto.identityKey()))
                .toList(),
            certificate,
            crypto.senderKeys().encrypt(address(), chain, text),
            new byte[32]);
  }

  /** Starts a session with {@code other} from its bundle on the server, trusting its key. */
  void startSessionWith(TestServer server, TestDevice other) throws Exception {
    crypto.trustIdentity(other.address(), other.crypto.identityKey());
    var bundles =
        server
            .get("/v1/keys/" + other.accountId + "/" + other.deviceId, credentials())
            .as(org.parley.protocol.keys.PreKeyBundles.class);
    crypto.startSession(
        org.parley.crypto.WireKeys.bundle(other.accountId, bundles.devices().getFirst()));
  }
}
