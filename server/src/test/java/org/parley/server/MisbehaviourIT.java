package org.parley.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.server.MessagesIT.fetch;
import static org.parley.server.MessagesIT.message;
import static org.parley.server.MessagesIT.send;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.DeviceInfo;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.message.Envelope;
import org.parley.server.kt.KtSettings;
import org.parley.server.misbehaviour.MisbehavingOperator;

/**
 * The test-only misbehaving operator's forged envelope, relabelled sender and revived device, each
 * on a real misbehaving server over real sockets, and their absence from an honest server started
 * on the same class path (the test implementation is there, the switch is not). Epochs are an hour
 * long: the tests publish by hand.
 */
class MisbehaviourIT {
  private static final Handle FORGED_HANDLE = Handle.of("alice@example.org");

  static TestServer evil;
  static TestServer honest;

  @BeforeAll
  static void start() {
    KtSettings manual =
        KtSettings.defaults()
            .withMaxBehind(Duration.ofHours(3))
            .withEpoch(Duration.ofHours(1), Duration.ofHours(1));
    // The switch needs the JVM property at start only; other tests in this JVM must not see it.
    String before = System.setProperty("parley.test", "true");
    try {
      evil = TestServer.start(c -> c.withKt(manual.withMisbehaviour(true)));
    } finally {
      if (before == null) {
        System.clearProperty("parley.test");
      } else {
        System.setProperty("parley.test", before);
      }
    }
    honest = TestServer.start(c -> c.withKt(manual));
  }

  @AfterAll
  static void stop() {
    evil.close();
    honest.close();
  }

  private static String injection(AccountId source, int device, String content) {
    return Json.writeString(
        Map.of(
            "sourceAccountId",
            source.value(),
            "sourceDeviceId",
            device,
            "sourceHandle",
            FORGED_HANDLE.value(),
            "type",
            "prekey_message",
            "content",
            Json.base64Url(content.getBytes(UTF_8)),
            "timestamp",
            1234));
  }

  private static void assertForged(
      Envelope e, String id, AccountId source, int device, String content, long notBefore) {
    assertThat(e.id()).isEqualTo(id);
    assertThat(e.sourceAccountId()).isEqualTo(source);
    assertThat(e.sourceDeviceId()).isEqualTo(DeviceId.of(device));
    assertThat(e.sourceHandle()).isEqualTo(FORGED_HANDLE);
    assertThat(e.type().wire()).isEqualTo("prekey_message");
    assertThat(e.timestamp()).isEqualTo(1234);
    assertThat(e.serverTimestamp()).isGreaterThanOrEqualTo(notBefore);
    assertThat(new String(e.content(), UTF_8)).isEqualTo(content);
  }

  private static Envelope envelope(WsClient ws) throws Exception {
    return Json.mapper().treeToValue(ws.next("envelope").path("envelope"), Envelope.class);
  }

  @Test
  void anInjectedEnvelopeIsQueuedAndPushedLikeASentOne() throws Exception {
    TestDevice alice = evil.register();
    TestDevice bob = evil.register();
    AccountId stranger = AccountId.random(); // no such account
    long start = System.currentTimeMillis();

    // queued while bob is offline: from a device id alice's account does not have
    Response queued =
        evil.post(
            "/v1/test/inject/" + bob.accountId + "/1",
            injection(alice.accountId, 126, "queued forgery"),
            null);
    assertThat(queued.status()).as(queued.body()).isEqualTo(200);
    String queuedId = queued.json().path("id").asText();
    assertThat(queuedId).isNotBlank();

    String liveId;
    try (WsClient ws = evil.connect(bob.credentials())) {
      assertForged(envelope(ws), queuedId, alice.accountId, 126, "queued forgery", start);
      ws.next("queue_empty");
      ws.next("keys_low");

      // pushed live: from an account that does not exist
      Response live =
          evil.post(
              "/v1/test/inject/" + bob.accountId + "/1",
              injection(stranger, 1, "live forgery"),
              null);
      assertThat(live.status()).as(live.body()).isEqualTo(200);
      liveId = live.json().path("id").asText();
      assertThat(liveId).isNotEqualTo(queuedId);
      assertForged(envelope(ws), liveId, stranger, 1, "live forgery", start);
    }

    List<Envelope> fetched = fetch(evil, bob).envelopes();
    assertThat(fetched).hasSize(2);
    assertForged(fetched.get(0), queuedId, alice.accountId, 126, "queued forgery", start);
    assertForged(fetched.get(1), liveId, stranger, 1, "live forgery", start);
    // durable and acknowledgeable like any other envelope
    Response acked =
        evil.post("/v1/messages/ack", Map.of("ids", List.of(queuedId, liveId)), bob.credentials());
    assertThat(acked.status()).as(acked.body()).isEqualTo(204);
    assertThat(fetch(evil, bob).envelopes()).isEmpty();
  }

  @Test
  void injectionErrors() {
    TestDevice bob = evil.register();
    String good = injection(AccountId.random(), 3, "x");
    Response noDevice = evil.post("/v1/test/inject/" + bob.accountId + "/2", good, null);
    assertThat(noDevice.status()).isEqualTo(404);
    assertThat(noDevice.code()).isEqualTo("unknown_device");
    Response noAccount = evil.post("/v1/test/inject/" + AccountId.random() + "/1", good, null);
    assertThat(noAccount.status()).isEqualTo(404);
    assertThat(noAccount.code()).isEqualTo("unknown_account");
    assertThat(evil.post("/v1/test/inject/nope/1", good, null).code()).isEqualTo("invalid_request");
    assertThat(evil.post("/v1/test/inject/" + bob.accountId + "/128", good, null).code())
        .isEqualTo("invalid_request");

    String source = "\"sourceAccountId\":\"" + AccountId.random() + "\",";
    for (String bad :
        List.of(
            "{}",
            "[]",
            "{"
                + source
                + "\"sourceDeviceId\":1,\"sourceHandle\":\"a@b.c\",\"type\":\"message\","
                + "\"timestamp\":1}", // no content
            "{"
                + source
                + "\"sourceDeviceId\":1,\"sourceHandle\":\"a@b.c\",\"type\":\"text\","
                + "\"content\":\"AA\",\"timestamp\":1}", // unknown type
            "{"
                + source
                + "\"sourceDeviceId\":0,\"sourceHandle\":\"a@b.c\",\"type\":\"message\","
                + "\"content\":\"AA\",\"timestamp\":1}", // device id out of range
            "{"
                + source
                + "\"sourceDeviceId\":1,\"sourceHandle\":\"no handle\",\"type\":\"message\","
                + "\"content\":\"AA\",\"timestamp\":1}",
            "{"
                + source
                + "\"sourceDeviceId\":1,\"sourceHandle\":\"a@b.c\",\"type\":\"message\","
                + "\"content\":\"!!\",\"timestamp\":1}", // not base64url
            "{"
                + source
                + "\"sourceDeviceId\":1,\"sourceHandle\":\"a@b.c\",\"type\":\"message\","
                + "\"content\":\"AA\"}", // no timestamp
            "{\"sourceAccountId\":\"NOT-A-UUID\",\"sourceDeviceId\":1,\"sourceHandle\":\"a@b.c\","
                + "\"type\":\"message\",\"content\":\"AA\",\"timestamp\":1}")) {
      Response r = evil.post("/v1/test/inject/" + bob.accountId + "/1", bad, null);
      assertThat(r.status()).as(bad + " -> " + r.body()).isEqualTo(400);
      assertThat(r.code()).as(bad).isEqualTo("invalid_request");
    }
    assertThat(evil.post("/v1/test/inject/" + bob.accountId + "/1", "{", null).code())
        .isEqualTo("malformed_json");
    assertThat(fetch(evil, bob).envelopes()).isEmpty();
  }

  @Test
  void aRelabelledAccountsEnvelopesAndDeviceListCarryTheNewHandle() throws Exception {
    TestDevice alice = evil.register();
    TestDevice bob = evil.register();
    Handle real = evil.get("/v1/accounts/me", alice.credentials()).as(DeviceList.class).handle();
    Handle bobs = evil.get("/v1/accounts/me", bob.credentials()).as(DeviceList.class).handle();
    Handle mallory = TestServer.handle(TestServer.uniqueName("mallory"));
    assertThat(send(evil, alice, bob.accountId, message(bob, "queued")).status()).isEqualTo(200);

    Response relabel =
        evil.post("/v1/test/relabel/" + alice.accountId, Map.of("handle", mallory.value()), null);
    assertThat(relabel.status()).as(relabel.body()).isEqualTo(204);

    // the envelope queued before, on GET /v1/messages and on the WebSocket, and a new one
    assertThat(fetch(evil, bob).envelopes())
        .singleElement()
        .satisfies(e -> assertThat(e.sourceHandle()).isEqualTo(mallory));
    try (WsClient ws = evil.connect(bob.credentials())) {
      Envelope drained = envelope(ws);
      assertThat(drained.sourceHandle()).isEqualTo(mallory);
      assertThat(new String(drained.content(), UTF_8)).isEqualTo("queued");
      ws.next("queue_empty");
      ws.next("keys_low");
      assertThat(send(evil, alice, bob.accountId, message(bob, "live")).status()).isEqualTo(200);
      Envelope pushed = envelope(ws);
      assertThat(pushed.sourceHandle()).isEqualTo(mallory);
      assertThat(pushed.sourceAccountId()).isEqualTo(alice.accountId);
    }
    assertThat(fetch(evil, bob).envelopes())
        .extracting(Envelope::sourceHandle)
        .containsExactly(mallory, mallory);

    // the directory says so to others and to the account itself
    DeviceList seen =
        evil.get("/v1/accounts/" + alice.accountId + "/devices", bob.credentials())
            .as(DeviceList.class);
    assertThat(seen.handle()).isEqualTo(mallory);
    assertThat(seen.devices()).extracting(DeviceInfo::deviceId).containsExactly(DeviceId.of(1));
    assertThat(evil.get("/v1/accounts/me", alice.credentials()).as(DeviceList.class).handle())
        .isEqualTo(mallory);
    // envelopes from others keep their sender's handle
    assertThat(send(evil, bob, alice.accountId, message(alice, "to alice")).status())
        .isEqualTo(200);
    assertThat(fetch(evil, alice).envelopes())
        .singleElement()
        .satisfies(e -> assertThat(e.sourceHandle()).isEqualTo(bobs));

    // handle look-ups stay honest
    Response lookup = evil.get("/v1/handles/" + real, bob.credentials());
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.as(HandleLookup.class)).isEqualTo(new HandleLookup(real, alice.accountId));
    Response unknown = evil.get("/v1/handles/" + mallory, bob.credentials());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("unknown_handle");

    // bad bodies
    for (String bad : List.of("{}", "{\"handle\":\"no handle\"}", "{\"handle\":7}", "[]")) {
      Response r = evil.post("/v1/test/relabel/" + alice.accountId, bad, null);
      assertThat(r.status()).as(bad + " -> " + r.body()).isEqualTo(400);
      assertThat(r.code()).as(bad).isEqualTo("invalid_request");
    }
    assertThat(evil.post("/v1/test/relabel/nope", Map.of("handle", mallory.value()), null).code())
        .isEqualTo("invalid_request");
  }

  @Test
  void aRevivedDeviceIsPublishedAgainWithItsOldApprovalAndListed() throws Exception {
    var kt = evil.server.keyTransparency();
    TestDevice alice = evil.register();
    TestDevice bob = evil.register();
    TestDevice bob2 = evil.link(bob); // approved by device 1
    kt.publish();
    DeviceListValue.Entry old = search(alice, bob.accountId).entry(bob2.deviceId).orElseThrow();
    String path = "/v1/test/kt/revive/" + bob.accountId + "/" + bob2.deviceId;

    Response present = evil.post(path, "", null);
    assertThat(present.status()).isEqualTo(409);
    assertThat(present.code()).isEqualTo("device_present");

    assertThat(evil.delete("/v1/devices/" + bob2.deviceId, bob.credentials()).status())
        .isEqualTo(204);
    kt.publish();
    assertThat(search(alice, bob.accountId).entry(bob2.deviceId)).isEmpty();

    Response never = evil.post("/v1/test/kt/revive/" + bob.accountId + "/9", "", null);
    assertThat(never.status()).isEqualTo(404);
    assertThat(never.code()).isEqualTo("unknown_device");
    assertThat(evil.post("/v1/test/kt/revive/" + AccountId.random() + "/2", "", null).code())
        .isEqualTo("unknown_device");
    assertThat(evil.post("/v1/test/kt/revive/" + bob.accountId + "/0", "", null).code())
        .isEqualTo("invalid_request");

    assertThat(kt.publish()).isZero(); // nothing else waits to be published
    Response revived = evil.post(path, "", null);
    assertThat(revived.status()).as(revived.body()).isEqualTo(204);
    long size = kt.size();
    assertThat(kt.publish()).isEqualTo(1); // the account was queued: no other change is needed
    assertThat(kt.size()).isEqualTo(size + 1);
    kt.publish();

    // the log: the old entry byte for byte, next to the honest one
    DeviceListValue published = search(alice, bob.accountId);
    assertThat(published.entries())
        .extracting(DeviceListValue.Entry::deviceId)
        .containsExactly(DeviceId.of(1), bob2.deviceId);
    DeviceListValue.Entry back = published.entry(bob2.deviceId).orElseThrow();
    assertThat(back).isEqualTo(old);
    assertThat(back.identityKey()).isEqualTo(bob2.identityKey());
    assertThat(back.approver()).isEqualTo(org.parley.protocol.kt.LinkSerial.of(1));
    assertThat(back.approvalSignature()).isEqualTo(old.approvalSignature());

    // the directory
    DeviceList listed =
        evil.get("/v1/accounts/" + bob.accountId + "/devices", alice.credentials())
            .as(DeviceList.class);
    assertThat(listed.devices())
        .extracting(DeviceInfo::deviceId)
        .containsExactly(DeviceId.of(1), bob2.deviceId);
    DeviceInfo info = listed.devices().get(1);
    assertThat(info.name()).isEqualTo("revived");
    assertThat(info.identityKey()).isEqualTo(bob2.identityKey());
    assertThat(info.registrationId()).isEqualTo(MisbehavingOperator.REVIVED_REGISTRATION_ID);
    assertThat(info.createdAt()).isPositive();

    // still a removed device: its credential stays refused
    assertThat(evil.get("/v1/accounts/me", bob2.credentials()).status()).isEqualTo(401);
  }

  /** The greatest version of the account's device list, searched over HTTP like a client does. */
  private static DeviceListValue search(TestDevice caller, AccountId account) throws Exception {
    SearchRequest request =
        new SearchRequest(
            OptionalLong.empty(), new Label(KtLabels.account(account)), OptionalLong.empty());
    HttpResponse<byte[]> r =
        evil.http.send(
            HttpRequest.newBuilder(evil.uri("/v1/kt/search"))
                .header("Content-Type", "application/octet-stream")
                .header("Authorization", caller.credentials().authorizationHeader())
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.encode()))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    SearchResponse response =
        SearchResponse.decode(r.body(), evil.server.keyTransparency().config(), request);
    return DeviceListValue.decode(response.value().value());
  }

  @Test
  void anHonestServerHasNoneOfTheEndpoints() {
    TestDevice bob = honest.register();
    List<String> paths =
        List.of(
            "/v1/test/inject/" + bob.accountId + "/1",
            "/v1/test/relabel/" + bob.accountId,
            "/v1/test/certificate-root/" + bob.accountId,
            "/v1/test/directory-key/" + bob.accountId + "/1",
            "/v1/test/register-as",
            "/v1/test/kt/revive/" + bob.accountId + "/1",
            "/v1/test/kt/ghost/" + bob.accountId,
            "/v1/test/kt/tamper/" + bob.accountId + "/SWAP_VALUE",
            "/v1/test/kt/hide/" + bob.accountId);
    // every test route, so that a new one cannot be left out here
    assertThat(evil.server.routes())
        .filteredOn(r -> r.path().startsWith("/v1/test/"))
        .hasSameSizeAs(paths);
    assertThat(honest.server.routes()).noneMatch(r -> r.path().startsWith("/v1/test/"));
    for (String path : paths) {
      Response r = honest.post(path, injection(bob.accountId, 1, "x"), bob.credentials());
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.code()).as(path).isEqualTo("not_found");
    }
    assertThat(fetch(honest, bob).envelopes()).isEmpty();
  }
}
