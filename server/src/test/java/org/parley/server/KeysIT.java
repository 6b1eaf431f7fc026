package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.KyberPreKeyPublic;
import org.parley.crypto.Signatures;
import org.parley.crypto.SignedPreKeyPublic;
import org.parley.protocol.Json;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.KyberPreKey;
import org.parley.protocol.keys.PreKeyBundles;
import org.parley.protocol.keys.UploadKeysRequest;

class KeysIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void bundleFetchConsumesOneTimeKeysThenFallsBackToLastResort() {
    TestDevice alice = server.register();
    TestDevice bob = new TestDevice();
    var keys = bob.keys(2, 2);
    bob = registerWith(bob, keys);
    String path = "/v1/keys/" + bob.accountId + "/1";

    PreKeyBundles first = server.get(path, alice.credentials()).as(PreKeyBundles.class);
    assertThat(first.accountId()).isEqualTo(bob.accountId);
    DeviceBundle b1 = first.devices().getFirst();
    assertThat(b1.deviceId().value()).isEqualTo(1);
    assertThat(b1.registrationId()).isEqualTo(bob.crypto.registrationId());
    assertThat(b1.preKey()).isNotNull();
    assertThat(b1.kyberPreKey().keyId()).isNotEqualTo(keys.lastResortKyberPreKey().keyId());
    assertVerifies(b1);
    assertThat(counts(bob)).isEqualTo(new KeyCounts(1, 1));

    DeviceBundle b2 =
        server.get(path, alice.credentials()).as(PreKeyBundles.class).devices().getFirst();
    assertThat(b2.preKey().keyId()).isNotEqualTo(b1.preKey().keyId());
    assertThat(b2.kyberPreKey().keyId()).isNotEqualTo(b1.kyberPreKey().keyId());
    assertThat(counts(bob)).isEqualTo(new KeyCounts(0, 0));

    Response third = server.get(path, alice.credentials());
    assertThat(third.json().path("devices").get(0).has("preKey")).isFalse();
    DeviceBundle b3 = third.as(PreKeyBundles.class).devices().getFirst();
    assertThat(b3.kyberPreKey().keyId()).isEqualTo(keys.lastResortKyberPreKey().keyId());
    assertVerifies(b3);
    // the last-resort key stays
    assertThat(
            server
                .get(path, alice.credentials())
                .as(PreKeyBundles.class)
                .devices()
                .getFirst()
                .kyberPreKey()
                .keyId())
        .isEqualTo(keys.lastResortKyberPreKey().keyId());
  }

  @Test
  void starFetchesEveryDeviceInOrder() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    TestDevice bob2 = server.link(bob);
    PreKeyBundles all =
        server.get("/v1/keys/" + bob.accountId + "/*", alice.credentials()).as(PreKeyBundles.class);
    assertThat(all.devices())
        .extracting(d -> d.deviceId().value())
        .containsExactly(1, bob2.deviceId.value());
    assertThat(all.devices().get(1).identityKey()).isEqualTo(bob2.identityKey());
  }

  @Test
  void unknownAccountsAndDevices() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Response account =
        server.get(
            "/v1/keys/" + org.parley.protocol.AccountId.random() + "/1", alice.credentials());
    assertThat(account.status()).isEqualTo(404);
    assertThat(account.code()).isEqualTo("unknown_account");
    Response device = server.get("/v1/keys/" + bob.accountId + "/5", alice.credentials());
    assertThat(device.status()).isEqualTo(404);
    assertThat(device.code()).isEqualTo("unknown_device");
    for (String bad : List.of("abc", "0", "128")) {
      Response r = server.get("/v1/keys/" + bob.accountId + "/" + bad, alice.credentials());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_request");
    }
    assertThat(counts(bob)).isEqualTo(new KeyCounts(2, 2));
  }

  @Test
  void fetchesAreRateLimitedPerCallerAndTarget() {
    try (TestServer limited = TestServer.start(c -> c.withPreKeyFetchesPerHour(2))) {
      TestDevice alice = limited.register(3, 3);
      TestDevice bob = limited.register(3, 3);
      TestDevice carol = limited.register(3, 3);
      String bobKeys = "/v1/keys/" + bob.accountId + "/*";
      assertThat(limited.get(bobKeys, alice.credentials()).status()).isEqualTo(200);
      assertThat(limited.get(bobKeys, alice.credentials()).status()).isEqualTo(200);
      Response refused = limited.get(bobKeys, alice.credentials());
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.code()).isEqualTo("rate_limited");
      assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
          .isBetween(1L, 3600L);
      assertThat(limited.get("/v1/keys/status", bob.credentials()).as(KeyCounts.class))
          .isEqualTo(new KeyCounts(1, 1));
      // another pair has its own budget
      assertThat(limited.get(bobKeys, carol.credentials()).status()).isEqualTo(200);
      assertThat(limited.get("/v1/keys/" + carol.accountId + "/1", alice.credentials()).status())
          .isEqualTo(200);
    }
  }

  @Test
  void uploadAddsKeysAndReplacesSignedOnes() {
    TestDevice bob = server.register();
    var request =
        new UploadKeysRequest(bob.signedPreKey(), null, bob.preKeys(3), bob.kyberPreKeys(1));
    Response r = server.put("/v1/keys", request, bob.credentials());
    assertThat(r.status()).as(r.body()).isEqualTo(204);
    assertThat(counts(bob)).isEqualTo(new KeyCounts(5, 3));
    TestDevice alice = server.register();
    DeviceBundle bundle =
        server
            .get("/v1/keys/" + bob.accountId + "/1", alice.credentials())
            .as(PreKeyBundles.class)
            .devices()
            .getFirst();
    assertThat(bundle.signedPreKey().keyId()).isEqualTo(request.signedPreKey().keyId());
  }

  @Test
  void keysOfTheWrongLengthAreInvalidKeyAndStoreNothing() {
    TestDevice bob = server.register();
    var request =
        Json.mapper()
            .valueToTree(
                new UploadKeysRequest(null, bob.kyberPreKeys(1).getFirst(), bob.preKeys(2), null));
    var oneTime = (com.fasterxml.jackson.databind.node.ObjectNode) request.get("preKeys").get(1);
    oneTime.put("publicKey", Json.base64Url(new byte[32]));
    Response shortEc = server.put("/v1/keys", request.toString(), bob.credentials());
    assertThat(shortEc.status()).as(shortEc.body()).isEqualTo(400);
    assertThat(shortEc.code()).isEqualTo("invalid_key");
    assertThat(shortEc.json().path("message").asText()).contains("publicKey");

    oneTime.put("publicKey", Json.base64Url(bob.preKeys(1).getFirst().publicKey()));
    ((com.fasterxml.jackson.databind.node.ObjectNode) request.get("lastResortKyberPreKey"))
        .put("publicKey", Json.base64Url(new byte[KyberPreKey.PUBLIC_KEY_LENGTH - 1]));
    Response shortKyber = server.put("/v1/keys", request.toString(), bob.credentials());
    assertThat(shortKyber.status()).as(shortKyber.body()).isEqualTo(400);
    assertThat(shortKyber.code()).isEqualTo("invalid_key");
    assertThat(counts(bob)).isEqualTo(new KeyCounts(2, 2));
  }

  @Test
  void uploadWithBadSignatureOrKeyStoresNothing() {
    TestDevice bob = server.register();
    TestDevice other = new TestDevice();
    var badSignature = new UploadKeysRequest(null, null, bob.preKeys(3), other.kyberPreKeys(1));
    Response r = server.put("/v1/keys", badSignature, bob.credentials());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("bad_signature");

    KyberPreKey good = bob.kyberPreKeys(1).getFirst();
    byte[] notKyber = good.publicKey();
    notKyber[0] = 0x01;
    var badKey =
        new UploadKeysRequest(
            null, new KyberPreKey(good.keyId(), notKyber, good.signature()), bob.preKeys(2), null);
    Response r2 = server.put("/v1/keys", badKey, bob.credentials());
    assertThat(r2.status()).isEqualTo(400);
    assertThat(r2.code()).isEqualTo("invalid_key");
    assertThat(counts(bob)).isEqualTo(new KeyCounts(2, 2));

    Response unauthorized =
        server.put("/v1/keys", new UploadKeysRequest(null, null, bob.preKeys(1), null), null);
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(counts(bob)).isEqualTo(new KeyCounts(2, 2));
  }

  private static KeyCounts counts(TestDevice device) {
    Response r = server.get("/v1/keys/status", device.credentials());
    assertThat(r.status()).isEqualTo(200);
    return r.as(KeyCounts.class);
  }

  private static TestDevice registerWith(
      TestDevice device, org.parley.protocol.keys.DeviceKeys keys) {
    var request =
        device.registration(TestServer.handle(TestServer.uniqueName("bob")), "phone", keys);
    Response r = server.post("/v1/accounts", request, null);
    assertThat(r.status()).isEqualTo(201);
    device.accountId = org.parley.protocol.AccountId.of(r.json().path("accountId").asText());
    device.deviceId = org.parley.protocol.DeviceId.of(1);
    return device;
  }

  private static void assertVerifies(DeviceBundle bundle) {
    var identity = new IdentityPublicKey(bundle.identityKey());
    var spk = bundle.signedPreKey();
    assertThat(
            Signatures.verifySignedPreKey(
                identity, new SignedPreKeyPublic(spk.keyId(), spk.publicKey(), spk.signature())))
        .isTrue();
    var kyber = bundle.kyberPreKey();
    assertThat(
            Signatures.verifyKyberPreKey(
                identity,
                new KyberPreKeyPublic(kyber.keyId(), kyber.publicKey(), kyber.signature())))
        .isTrue();
  }
}
