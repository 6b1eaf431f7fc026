package org.parley.testkit;

import java.net.URI;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.parley.crypto.Ciphertext;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.crypto.PreKeyBundle;
import org.parley.crypto.WireKeys;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.PreKeyBundles;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;

/**
 * A registered account whose device is driven by hand with the crypto facade rather than by our
 * client: it can encrypt any plaintext it likes to a real device, as a malicious client would.
 */
final class RogueDevice {
  private final DeviceCrypto crypto;
  private final RawApi api;
  final Handle handle;

  private RogueDevice(DeviceCrypto crypto, RawApi api, Handle handle) {
    this.crypto = crypto;
    this.api = api;
    this.handle = handle;
  }

  static RogueDevice register(URI server, String handle) {
    DeviceCrypto c = DeviceCrypto.initialize(new InMemoryProtocolState());
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    DeviceKeys keys = WireKeys.newDeviceKeys(c, 5);
    // registration takes no credential; the header this one sends is ignored
    RawApi anonymous =
        new RawApi(server, new Credentials(AccountId.random(), DeviceId.of(1), password));
    HttpResponse<String> answer =
        anonymous.post(
            "/v1/accounts",
            Json.writeString(WireKeys.registration(c, Handle.of(handle), password, "rogue", keys)));
    if (answer.statusCode() != 201) {
      throw new IllegalStateException("registration failed: " + answer.body());
    }
    RegisterResponse registered = Json.read(answer.body(), RegisterResponse.class);
    return new RogueDevice(
        c,
        new RawApi(
            server, new Credentials(registered.accountId(), registered.deviceId(), password)),
        Handle.of(handle));
  }

  /** This device's identity key: the key a forging server would use. */
  byte[] identityKey() {
    return crypto.identityKey().bytes();
  }

  /**
   * A PreKey message for device {@code deviceId} of account {@code target} under this device's own
   * identity key, from a freshly fetched bundle: what a server holding everyone's bundles can make
   * in anybody's name. It is not sent.
   */
  byte[] prekeyMessage(String target, int deviceId, byte[] plaintext) {
    PreKeyBundles bundles =
        Json.read(api.get("/v1/keys/" + target + "/" + deviceId).body(), PreKeyBundles.class);
    OutgoingMessage message =
        encrypt(AccountId.of(target), bundles.devices().getFirst(), plaintext);
    if (message.type() != EnvelopeType.PREKEY_MESSAGE) {
      throw new IllegalStateException("expected a PreKey message");
    }
    return message.content();
  }

  /**
   * A sealed envelope for device {@code deviceId} of {@code target}, under this device's own key
   * but with {@code certificate} (which may name anybody): what an operator holding the
   * sealed-sender keys can make in anybody's name. It is not sent.
   */
  byte[] sealedMessage(String target, int deviceId, byte[] certificate, byte[] plaintext) {
    PreKeyBundles bundles =
        Json.read(api.get("/v1/keys/" + target + "/" + deviceId).body(), PreKeyBundles.class);
    try {
      PreKeyBundle bundle = WireKeys.bundle(AccountId.of(target), bundles.devices().getFirst());
      crypto.trustIdentity(bundle.address(), bundle.identityKey());
      crypto.startSession(bundle);
      return crypto
          .sealedSender()
          .encrypt(
              new org.parley.crypto.RemoteAddress(AccountId.random(), DeviceId.of(1)),
              bundle.address(),
              certificate,
              org.parley.client.Padding.pad(plaintext));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Encrypts {@code plaintext} to every device of {@code target} and sends it; returns the status.
   */
  int sendRaw(String target, byte[] plaintext) {
    HandleLookup lookup = Json.read(api.get("/v1/handles/" + target).body(), HandleLookup.class);
    PreKeyBundles bundles =
        Json.read(api.get("/v1/keys/" + lookup.accountId() + "/*").body(), PreKeyBundles.class);
    byte[] padded = org.parley.client.Padding.pad(plaintext); // as every client must
    List<OutgoingMessage> messages =
        bundles.devices().stream().map(b -> encrypt(lookup.accountId(), b, padded)).toList();
    return api.put(
            "/v1/messages/" + lookup.accountId(),
            Json.writeString(new SendRequest(messages, System.currentTimeMillis())))
        .statusCode();
  }

  private OutgoingMessage encrypt(AccountId account, DeviceBundle b, byte[] plaintext) {
    try {
      PreKeyBundle bundle = WireKeys.bundle(account, b);
      crypto.trustIdentity(bundle.address(), bundle.identityKey()); // a rogue trusts anything
      crypto.startSession(bundle);
      Ciphertext ciphertext = crypto.encrypt(bundle.address(), plaintext);
      EnvelopeType type =
          ciphertext.type() == Ciphertext.Type.PREKEY_MESSAGE
              ? EnvelopeType.PREKEY_MESSAGE
              : EnvelopeType.MESSAGE;
      return new OutgoingMessage(b.deviceId(), b.registrationId(), type, ciphertext.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
