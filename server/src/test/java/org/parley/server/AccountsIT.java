package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.http.HttpRequest;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.keys.DeviceKeys;
import org.parley.protocol.keys.SignedPreKey;

class AccountsIT {
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
  void serverInfoAndHealthNeedNoCredential() {
    Response info = server.get("/v1/server", null);
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().path("domain").asText()).isEqualTo(TestServer.DOMAIN);
    assertThat(info.json().path("version").asText()).isNotEmpty();
    Response health = server.get("/v1/health", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void registerCreatesTheAccountWithDeviceOne() {
    TestDevice device = new TestDevice();
    Handle handle = TestServer.handle(TestServer.uniqueName("Alice"));
    Response r =
        server.post("/v1/accounts", device.registration(handle, "phone", device.keys(1, 1)), null);

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().path("handle").asText()).isEqualTo(handle.value()).isLowerCase();
    assertThat(r.json().path("deviceId").asInt()).isEqualTo(1);
    device.accountId = AccountId.of(r.json().path("accountId").asText());
    device.deviceId = DeviceId.of(1);

    DeviceList me = server.get("/v1/accounts/me", device.credentials()).as(DeviceList.class);
    assertThat(me.accountId()).isEqualTo(device.accountId);
    assertThat(me.devices())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.name()).isEqualTo("phone");
              assertThat(d.registrationId()).isEqualTo(device.crypto.registrationId());
              assertThat(d.identityKey()).isEqualTo(device.identityKey());
            });
    Response lookup = server.get("/v1/handles/" + handle, device.credentials());
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.json().path("accountId").asText()).isEqualTo(device.accountId.value());
  }

  @Test
  void theAccountGetsTheProposedIdOnlyWithDeviceOnesSelfApproval() {
    TestDevice observer = server.register();
    TestDevice device = new TestDevice();
    TestDevice other = new TestDevice();
    Handle handle = TestServer.handle(TestServer.uniqueName("carol"));
    RegisterRequest honest = device.registration(handle, "phone", device.keys(0, 0));
    AccountId id = honest.accountId();
    byte[] key = honest.keys().identityKey();

    // signed by another key; over another account id; over another key; the link statement's
    // context is no device approval either
    byte[][] forged = {
      other.ktApproval(id, key),
      device.ktApproval(AccountId.random(), key),
      device.ktApproval(id, other.identityKey()),
      device.crypto.sign(
          org.parley.protocol.link.ApprovalStatement.bytes(
              id, handle, org.parley.protocol.link.LinkCode.random(), key))
    };
    for (byte[] approval : forged) {
      var bad = new RegisterRequest(handle, id, device.password, "phone", honest.keys(), approval);
      Response r = server.post("/v1/accounts", bad, null);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_approval");
    }
    ObjectNode missing = Json.mapper().valueToTree(honest);
    missing.remove("ktApproval");
    Response r = server.post("/v1/accounts", missing.toString(), null);
    assertThat(r.code()).isEqualTo("invalid_request");
    assertThat(r.json().path("message").asText()).contains("ktApproval");
    ObjectNode noId = Json.mapper().valueToTree(honest);
    noId.remove("accountId");
    assertThat(server.post("/v1/accounts", noId.toString(), null).code())
        .isEqualTo("invalid_request");
    assertThat(server.get("/v1/handles/" + handle, observer.credentials()).code())
        .isEqualTo("unknown_handle");
    assertThat(server.get("/v1/accounts/" + id + "/devices", observer.credentials()).code())
        .isEqualTo("unknown_account");

    Response ok = server.post("/v1/accounts", honest, null);
    assertThat(ok.status()).as(ok.body()).isEqualTo(201);
    assertThat(ok.json().path("accountId").asText()).isEqualTo(id.value());
  }

  @Test
  void takenAccountIdIsRefusedAndKeepsItsOwner() {
    TestDevice first = server.register();
    TestDevice second = new TestDevice();
    Handle handle = TestServer.handle(TestServer.uniqueName("copycat"));
    DeviceKeys keys = second.keys(0, 0);
    var sameId =
        new RegisterRequest(
            handle,
            first.accountId,
            second.password,
            "x",
            keys,
            second.ktApproval(first.accountId, keys.identityKey()));

    Response r = server.post("/v1/accounts", sameId, null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("account_id_taken");
    assertThat(server.get("/v1/handles/" + handle, first.credentials()).code())
        .isEqualTo("unknown_handle");
    assertThat(server.get("/v1/accounts/me", first.credentials()).json().path("devices"))
        .hasSize(1);
    // a fresh id goes through
    assertThat(server.post("/v1/accounts", second.registration(handle, "x", keys), null).status())
        .isEqualTo(201);
  }

  @Test
  void takenHandleIsRefusedAndKeepsItsOwner() {
    TestDevice first = server.register();
    Handle handle = handleOf(first);
    TestDevice second = new TestDevice();
    Response r =
        server.post("/v1/accounts", second.registration(handle, "x", second.keys(0, 0)), null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("handle_taken");
    assertThat(
            server
                .get("/v1/handles/" + handle, first.credentials())
                .json()
                .path("accountId")
                .asText())
        .isEqualTo(first.accountId.value());
  }

  @Test
  void handleOfAnotherDomainIsRefused() {
    TestDevice observer = server.register();
    TestDevice device = new TestDevice();
    String name = TestServer.uniqueName("bob");
    Response r =
        server.post(
            "/v1/accounts",
            device.registration(Handle.of(name + "@other.example"), "x", device.keys(0, 0)),
            null);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_handle");
    assertThat(server.get("/v1/handles/" + TestServer.handle(name), observer.credentials()).code())
        .isEqualTo("unknown_handle");
  }

  @Test
  void badPreKeySignaturesStoreNothing() {
    TestDevice observer = server.register();
    TestDevice device = new TestDevice();
    TestDevice other = new TestDevice();
    DeviceKeys good = device.keys(1, 1);
    Handle handle = TestServer.handle(TestServer.uniqueName("mallory"));

    // a signed prekey signed by another identity key
    DeviceKeys badSigned =
        new DeviceKeys(
            good.registrationId(),
            good.identityKey(),
            other.signedPreKey(),
            good.lastResortKyberPreKey(),
            good.preKeys(),
            good.kyberPreKeys());
    // a one-time Kyber prekey signed by another identity key
    DeviceKeys badKyber =
        new DeviceKeys(
            good.registrationId(),
            good.identityKey(),
            good.signedPreKey(),
            good.lastResortKyberPreKey(),
            good.preKeys(),
            other.kyberPreKeys(1));
    for (DeviceKeys keys : new DeviceKeys[] {badSigned, badKyber}) {
      Response r = server.post("/v1/accounts", device.registration(handle, "x", keys), null);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("bad_signature");
    }
    assertThat(server.get("/v1/handles/" + handle, observer.credentials()).code())
        .isEqualTo("unknown_handle");
    // the handle is still free
    Response ok = server.post("/v1/accounts", device.registration(handle, "x", good), null);
    assertThat(ok.status()).isEqualTo(201);
  }

  @Test
  void unparseableKeysAreInvalid() {
    TestDevice observer = server.register();
    TestDevice device = new TestDevice();
    DeviceKeys good = device.keys(0, 0);
    byte[] notAKey = new byte[33];
    notAKey[0] = 0x07;
    DeviceKeys badKey =
        new DeviceKeys(
            good.registrationId(),
            good.identityKey(),
            new SignedPreKey(1, notAKey, good.signedPreKey().signature()),
            good.lastResortKyberPreKey(),
            null,
            null);
    DeviceKeys badIdentity =
        new DeviceKeys(
            good.registrationId(),
            notAKey,
            good.signedPreKey(),
            good.lastResortKyberPreKey(),
            null,
            null);
    Handle handle = TestServer.handle(TestServer.uniqueName("eve"));
    for (DeviceKeys keys : new DeviceKeys[] {badKey, badIdentity}) {
      Response r = server.post("/v1/accounts", device.registration(handle, "x", keys), null);
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_key");
    }
    assertThat(server.get("/v1/handles/" + handle, observer.credentials()).code())
        .isEqualTo("unknown_handle");
  }

  @Test
  void anIdentityKeyOfTheWrongLengthIsInvalidKey() {
    TestDevice observer = server.register();
    TestDevice device = new TestDevice();
    Handle handle = TestServer.handle(TestServer.uniqueName("short"));
    ObjectNode tree =
        Json.mapper().valueToTree(device.registration(handle, "x", device.keys(0, 0)));
    ((ObjectNode) tree.get("keys")).put("identityKey", Json.base64Url(new byte[32]));
    Response r = server.post("/v1/accounts", tree.toString(), null);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_key");
    assertThat(r.json().path("message").asText()).contains("identityKey");
    assertThat(server.get("/v1/handles/" + handle, observer.credentials()).code())
        .isEqualTo("unknown_handle");
  }

  @Test
  void malformedJsonWrongTypesAndOversizedBodies() {
    TestDevice observer = server.register();
    Response malformed = server.post("/v1/accounts", "{\"handle\": ", null);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("malformed_json");
    assertThat(server.post("/v1/accounts", "", null).code()).isEqualTo("malformed_json");

    TestDevice device = new TestDevice();
    Handle handle = TestServer.handle(TestServer.uniqueName("typed"));
    ObjectNode tree =
        Json.mapper().valueToTree(device.registration(handle, "x", device.keys(0, 0)));
    ((ObjectNode) tree.get("keys")).set("registrationId", TextNode.valueOf("5"));
    Response wrongType = server.post("/v1/accounts", tree.toString(), null);
    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.code()).isEqualTo("invalid_request");
    assertThat(wrongType.json().path("message").asText()).contains("registrationId");

    ((ObjectNode) tree.get("keys")).put("registrationId", 5);
    tree.put("password", "short");
    Response badValue = server.post("/v1/accounts", tree.toString(), null);
    assertThat(badValue.status()).isEqualTo(400);
    assertThat(badValue.code()).isEqualTo("invalid_request");
    assertThat(badValue.json().path("message").asText()).contains("password");

    String huge = "{\"handle\":\"" + "a".repeat(Bodies_MAX + 10) + "\"}";
    Response tooLarge = server.post("/v1/accounts", huge, null);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.code()).isEqualTo("body_too_large");
    // chunked, without a Content-Length
    Response chunked =
        server.send(
            HttpRequest.newBuilder(server.uri("/v1/accounts"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(huge.getBytes())))
                .build());
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(chunked.code()).isEqualTo("body_too_large");
    assertThat(server.get("/v1/handles/" + handle, observer.credentials()).code())
        .isEqualTo("unknown_handle");
  }

  private static final int Bodies_MAX = 1 << 20;

  @Test
  void unknownAndMalformedHandles() {
    TestDevice device = server.register();
    Response unknown =
        server.get(
            "/v1/handles/" + TestServer.handle("nobody-" + System.nanoTime()),
            device.credentials());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_handle");
    Response malformed = server.get("/v1/handles/not-a-handle", device.credentials());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("invalid_handle");
  }

  @Test
  void badCredentialsAreUnauthorized() {
    TestDevice device = server.register();
    var wrongPassword =
        new Credentials(device.accountId, device.deviceId, TestDevice.randomPassword());
    var wrongDevice = new Credentials(device.accountId, DeviceId.of(2), device.password);
    var wrongAccount = new Credentials(AccountId.random(), device.deviceId, device.password);
    for (Credentials c : new Credentials[] {wrongPassword, wrongDevice, wrongAccount, null}) {
      Response r = server.get("/v1/accounts/me", c);
      assertThat(r.status()).as("%s", c).isEqualTo(401);
      assertThat(r.code()).isEqualTo("unauthorized");
    }
    String garbage = "Basic " + Base64.getEncoder().encodeToString("nonsense".getBytes());
    for (String header : new String[] {garbage, "Bearer x", "Basic !!!"}) {
      Response r =
          server.send(
              HttpRequest.newBuilder(server.uri("/v1/accounts/me"))
                  .header("Authorization", header)
                  .build());
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("unauthorized");
    }
  }

  @Test
  void otherAccountsDeviceListsHideNames() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Response r = server.get("/v1/accounts/" + bob.accountId + "/devices", alice.credentials());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("devices").get(0).has("name")).isFalse();
    assertThat(r.json().path("handle").asText()).isEqualTo(handleOf(bob).value());

    Response unknown =
        server.get("/v1/accounts/" + AccountId.random() + "/devices", alice.credentials());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_account");
    Response malformed = server.get("/v1/accounts/NOT-A-UUID/devices", alice.credentials());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("invalid_request");
  }

  @Test
  void aDeviceListNamesOnlyASearchOfItsOwnAccountsLabel() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    String path = "/v1/accounts/" + bob.accountId + "/devices?ktSearch=";
    Response garbled = server.get(path + "not*base64url", alice.credentials());
    assertThat(garbled.status()).isEqualTo(400);
    assertThat(garbled.code()).isEqualTo("invalid_request");
    Response other = server.get(path + search(alice.accountId), alice.credentials());
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.code()).isEqualTo("invalid_request");
    // bob's own label: the list, with the proof once the log holds bob (not asserted here)
    Response own = server.get(path + search(bob.accountId), alice.credentials());
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().path("devices")).hasSize(1);
  }

  @Test
  void aHandleLookUpNamesOnlyASearchOfItsHandlesLabel() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    String path = "/v1/handles/" + bob.handle + "?ktSearch=";
    Response garbled = server.get(path + "not*base64url", alice.credentials());
    assertThat(garbled.status()).isEqualTo(400);
    assertThat(garbled.code()).isEqualTo("invalid_request");
    Response other = server.get(path + search(bob.accountId), alice.credentials());
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.code()).isEqualTo("invalid_request");
    Response own = server.get(path + handleSearch(bob.handle), alice.credentials());
    assertThat(own.status()).isEqualTo(200);
    assertThat(own.json().path("accountId").asText()).isEqualTo(bob.accountId.value());
  }

  @Test
  void aDeviceListAsksForBundlesOnlyWithAll() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Response odd =
        server.get("/v1/accounts/" + bob.accountId + "/devices?bundles=1", alice.credentials());
    assertThat(odd.status()).isEqualTo(400);
    assertThat(odd.code()).isEqualTo("invalid_request");
    Response plain = server.get("/v1/accounts/" + bob.accountId + "/devices", alice.credentials());
    assertThat(plain.json().has("bundles")).isFalse();
    Response all =
        server.get("/v1/accounts/" + bob.accountId + "/devices?bundles=all", alice.credentials());
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.json().path("bundles")).hasSize(1);
    assertThat(all.json().path("bundles").get(0).path("identityKey").asText())
        .isEqualTo(all.json().path("devices").get(0).path("identityKey").asText());
  }

  /** A refused request takes none of the account's one-time keys, though it asked for bundles. */
  @Test
  void aDeviceListRefusedForItsSearchTakesNoBundle() {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    int before = preKeysLeft(bob);
    Response refused =
        server.get(
            "/v1/accounts/"
                + bob.accountId
                + "/devices?bundles=all&ktSearch="
                + search(alice.accountId),
            alice.credentials());
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("invalid_request");
    Response all =
        server.get("/v1/accounts/" + bob.accountId + "/devices?bundles=all", alice.credentials());
    assertThat(all.status()).isEqualTo(200);
    assertThat(preKeysLeft(bob)).isEqualTo(before - 1); // the accepted request's bundle alone
  }

  private int preKeysLeft(TestDevice device) {
    Response status = server.get("/v1/keys/status", device.credentials());
    assertThat(status.status()).isEqualTo(200);
    return status.json().path("preKeys").asInt();
  }

  private static String handleSearch(org.parley.protocol.Handle handle) {
    return org.parley.protocol.Json.base64Url(
        new org.parley.keytrans.message.SearchRequest(
                java.util.OptionalLong.empty(),
                new org.parley.keytrans.commit.Label(
                    org.parley.protocol.kt.KtLabels.handle(handle)),
                java.util.OptionalLong.empty())
            .encode());
  }

  private static String search(AccountId account) {
    return org.parley.protocol.Json.base64Url(
        new org.parley.keytrans.message.SearchRequest(
                java.util.OptionalLong.empty(),
                new org.parley.keytrans.commit.Label(
                    org.parley.protocol.kt.KtLabels.account(account)),
                java.util.OptionalLong.empty())
            .encode());
  }

  @Test
  void unknownPathsAndWrongMethods() {
    Response unknown = server.get("/v1/nothing-here", null);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("not_found");
    Response wrongMethod = server.delete("/v1/accounts", null);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.code()).isEqualTo("method_not_allowed");
    Response wrongMethod2 = server.request("POST", "/v1/health", "{}", null);
    assertThat(wrongMethod2.status()).isEqualTo(405);
    assertThat(wrongMethod2.code()).isEqualTo("method_not_allowed");
  }

  @Test
  void registrationsAreRateLimitedPerAddress() {
    try (TestServer limited = TestServer.start(c -> c.withRegistrationsPerHour(2))) {
      limited.register(0, 0);
      limited.register(0, 0);
      TestDevice device = new TestDevice();
      Handle handle = TestServer.handle(TestServer.uniqueName("third"));
      Response r =
          limited.post("/v1/accounts", device.registration(handle, "x", device.keys(0, 0)), null);
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.code()).isEqualTo("rate_limited");
      assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isPositive();
    }
  }

  static Handle handleOf(TestDevice device) {
    return Handle.of(
        server.get("/v1/accounts/me", device.credentials()).json().path("handle").asText());
  }
}
