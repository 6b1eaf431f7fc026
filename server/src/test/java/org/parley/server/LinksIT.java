package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Json;
import org.parley.protocol.link.ApprovalStatement;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkCreated;
import org.parley.protocol.link.LinkPollRequest;
import org.parley.protocol.link.LinkRequest;

class LinksIT {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  record Pending(TestDevice device, LinkCode code, long expiresAt) {}

  static Pending create(TestServer server) {
    TestDevice device = new TestDevice();
    Response r =
        server.post(
            "/v1/links", new LinkRequest(device.password, "laptop", device.keys(2, 2)), null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    LinkCreated created = r.as(LinkCreated.class);
    return new Pending(device, created.code(), created.expiresAt());
  }

  static Response poll(TestServer server, Pending link) {
    return server.post(
        "/v1/links/" + link.code() + "/status", new LinkPollRequest(link.device().password), null);
  }

  static ApproveLinkRequest approval(TestDevice approver, Pending link) {
    return approver.linkApproval(link.code(), link.device().identityKey());
  }

  @Test
  void createInspectApprovePoll() throws Exception {
    TestDevice alice = server.register();
    Pending link = create(server);
    assertThat(link.code().value()).matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){3}");
    assertThat(link.expiresAt()).isGreaterThan(System.currentTimeMillis());
    assertThat(poll(server, link).json().path("state").asText()).isEqualTo("pending");
    assertThat(poll(server, link).json().has("accountId")).isFalse();

    Response info = server.get("/v1/links/" + link.code(), alice.credentials());
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.json().path("deviceName").asText()).isEqualTo("laptop");
    assertThat(info.json().path("registrationId").asInt())
        .isEqualTo(link.device().crypto.registrationId());
    assertThat(org.parley.protocol.Json.fromBase64Url(info.json().path("identityKey").asText()))
        .isEqualTo(link.device().identityKey());

    // lower case is accepted too
    Response approved =
        server.post(
            "/v1/links/" + link.code().value().toLowerCase() + "/approve",
            approval(alice, link),
            alice.credentials());
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().path("state").asText()).isEqualTo("approved");
    assertThat(approved.json().has("deviceId")).isFalse();
    // approved is not added: the new device has not accepted this account yet
    assertThat(server.get("/v1/accounts/me", alice.credentials()).json().path("devices"))
        .hasSize(1);

    Response status = poll(server, link);
    assertThat(status.json().path("state").asText()).isEqualTo("approved");
    assertThat(status.json().path("accountId").asText()).isEqualTo(alice.accountId.value());
    assertThat(status.json().path("handle").asText()).isEqualTo(alice.handle.value());
    assertThat(status.json().has("deviceId")).isFalse();
    var approver = status.json().path("approver");
    assertThat(approver.path("deviceId").asInt()).isEqualTo(1);
    assertThat(Json.fromBase64Url(approver.path("identityKey").asText()))
        .isEqualTo(alice.identityKey());
    // the approver's signature over the account, its handle, the code and the new key
    assertThat(
            org.parley.crypto.Signatures.verify(
                alice.crypto.identityKey(),
                ApprovalStatement.bytes(
                    alice.accountId, alice.handle, link.code(), link.device().identityKey()),
                Json.fromBase64Url(approver.path("signature").asText())))
        .isTrue();
    Response again =
        server.post(
            "/v1/links/" + link.code() + "/approve", approval(alice, link), alice.credentials());
    assertThat(again.status()).isEqualTo(410);
    assertThat(again.code()).isEqualTo("link_closed");

    try (WsClient ws = server.connect(alice.credentials())) {
      ws.next("queue_empty");
      ws.next("keys_low");
      Response wrong =
          server.post(
              "/v1/links/" + link.code() + "/accept",
              new LinkPollRequest(TestDevice.randomPassword()),
              null);
      assertThat(wrong.code()).isEqualTo("unknown_link");
      Response accepted =
          server.post(
              "/v1/links/" + link.code() + "/accept",
              new LinkPollRequest(link.device().password),
              null);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
      assertThat(accepted.json().path("state").asText()).isEqualTo("linked");
      assertThat(accepted.json().path("deviceId").asInt()).isEqualTo(2);
      assertThat(ws.next("devices_changed").path("accountId").asText())
          .isEqualTo(alice.accountId.value());
    }
    Response linkedStatus = poll(server, link);
    assertThat(linkedStatus.json().path("state").asText()).isEqualTo("linked");
    assertThat(linkedStatus.json().path("deviceId").asInt()).isEqualTo(2);
    // a retried accept gets the same answer
    assertThat(
            server
                .post(
                    "/v1/links/" + link.code() + "/accept",
                    new LinkPollRequest(link.device().password),
                    null)
                .json()
                .path("deviceId")
                .asInt())
        .isEqualTo(2);

    TestDevice linked = link.device();
    linked.accountId = alice.accountId;
    linked.deviceId = org.parley.protocol.DeviceId.of(2);
    Response me = server.get("/v1/accounts/me", linked.credentials());
    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json().path("devices")).hasSize(2);
  }

  @Test
  void aDeclinedApprovalNeverAddsTheDevice() {
    TestDevice carol = server.register();
    Pending link = create(server);
    assertThat(
            server
                .post(
                    "/v1/links/" + link.code() + "/accept",
                    new LinkPollRequest(link.device().password),
                    null)
                .code())
        .isEqualTo("link_closed"); // nothing to accept before an approval
    assertThat(
            server
                .post(
                    "/v1/links/" + link.code() + "/approve",
                    approval(carol, link),
                    carol.credentials())
                .status())
        .isEqualTo(200);

    Response declined =
        server.post(
            "/v1/links/" + link.code() + "/decline",
            new LinkPollRequest(link.device().password),
            null);

    assertThat(declined.status()).as(declined.body()).isEqualTo(204);
    assertThat(poll(server, link).json().path("state").asText()).isEqualTo("declined");
    Response accept =
        server.post(
            "/v1/links/" + link.code() + "/accept",
            new LinkPollRequest(link.device().password),
            null);
    assertThat(accept.status()).isEqualTo(410);
    assertThat(accept.code()).isEqualTo("link_closed");
    assertThat(
            server
                .post(
                    "/v1/links/" + link.code() + "/decline",
                    new LinkPollRequest(link.device().password),
                    null)
                .code())
        .isEqualTo("link_closed");
    assertThat(server.get("/v1/accounts/me", carol.credentials()).json().path("devices"))
        .hasSize(1);
  }

  @Test
  void badApprovalSignatureAddsNothing() {
    TestDevice alice = server.register();
    TestDevice mallory = server.register();
    Pending link = create(server);
    // signed by another account's device, and over the wrong account
    byte[] newKey = link.device().identityKey();
    var forged =
        new ApproveLinkRequest(
            mallory.crypto.sign(
                ApprovalStatement.bytes(alice.accountId, alice.handle, link.code(), newKey)),
            alice.ktApproval(alice.accountId, newKey));
    var wrongAccount = approval(mallory, link);
    for (ApproveLinkRequest bad : new ApproveLinkRequest[] {forged, wrongAccount}) {
      Response r = server.post("/v1/links/" + link.code() + "/approve", bad, alice.credentials());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("bad_signature");
    }
    assertThat(poll(server, link).json().path("state").asText()).isEqualTo("pending");
    assertThat(server.get("/v1/accounts/me", alice.credentials()).json().path("devices"))
        .hasSize(1);
    assertThat(
            server
                .post(
                    "/v1/links/" + link.code() + "/approve",
                    approval(alice, link),
                    alice.credentials())
                .status())
        .isEqualTo(200);
  }

  @Test
  void approvalWithoutAValidKtApprovalAddsNothing() {
    TestDevice alice = server.register();
    TestDevice mallory = server.register();
    Pending link = create(server);
    byte[] newKey = link.device().identityKey();
    byte[] linkSignature = approval(alice, link).signature();
    byte[][] forged = {
      mallory.ktApproval(alice.accountId, newKey), // by another account's device
      alice.ktApproval(mallory.accountId, newKey), // over another account
      alice.ktApproval(alice.accountId, alice.identityKey()), // over another key
      link.device().ktApproval(alice.accountId, newKey), // by the new device itself
      linkSignature
    }; // the link approval in its place
    for (byte[] ktApproval : forged) {
      Response r =
          server.post(
              "/v1/links/" + link.code() + "/approve",
              new ApproveLinkRequest(linkSignature, ktApproval),
              alice.credentials());
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("invalid_approval");
    }
    var missing = Json.mapper().valueToTree(approval(alice, link));
    ((com.fasterxml.jackson.databind.node.ObjectNode) missing).remove("ktApproval");
    Response r =
        server.post(
            "/v1/links/" + link.code() + "/approve", missing.toString(), alice.credentials());
    assertThat(r.code()).isEqualTo("invalid_request");
    assertThat(poll(server, link).json().path("state").asText()).isEqualTo("pending");
    assertThat(server.get("/v1/accounts/me", alice.credentials()).json().path("devices"))
        .hasSize(1);

    assertThat(
            server
                .post(
                    "/v1/links/" + link.code() + "/approve",
                    approval(alice, link),
                    alice.credentials())
                .status())
        .isEqualTo(200);
  }

  @Test
  void rejectClosesTheLink() {
    TestDevice alice = server.register();
    Pending link = create(server);
    assertThat(
            server.post("/v1/links/" + link.code() + "/reject", "", alice.credentials()).status())
        .isEqualTo(204);
    assertThat(poll(server, link).json().path("state").asText()).isEqualTo("rejected");
    for (Response r :
        new Response[] {
          server.get("/v1/links/" + link.code(), alice.credentials()),
          server.post(
              "/v1/links/" + link.code() + "/approve", approval(alice, link), alice.credentials()),
          server.post("/v1/links/" + link.code() + "/reject", "", alice.credentials())
        }) {
      assertThat(r.status()).isEqualTo(410);
      assertThat(r.code()).isEqualTo("link_closed");
    }
    assertThat(server.get("/v1/accounts/me", alice.credentials()).json().path("devices"))
        .hasSize(1);
  }

  @Test
  void unknownAndMalformedCodes() {
    TestDevice alice = server.register();
    Pending link = create(server);
    String unknown = LinkCode.random().value();
    for (Response r :
        new Response[] {
          server.get("/v1/links/" + unknown, alice.credentials()),
          server.post(
              "/v1/links/" + unknown + "/approve", approval(alice, link), alice.credentials()),
          server.post("/v1/links/" + unknown + "/reject", "", alice.credentials()),
          server.post(
              "/v1/links/" + unknown + "/status",
              new LinkPollRequest(link.device().password),
              null),
          // the right code with the wrong password looks unknown
          server.post(
              "/v1/links/" + link.code() + "/status",
              new LinkPollRequest(TestDevice.randomPassword()),
              null)
        }) {
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.code()).isEqualTo("unknown_link");
    }
    Response malformed = server.get("/v1/links/not-a-code", alice.credentials());
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("invalid_request");
    Response noAuth = server.get("/v1/links/" + link.code(), null);
    assertThat(noAuth.status()).isEqualTo(401);
    assertThat(poll(server, link).json().path("state").asText()).isEqualTo("pending");
  }

  @Test
  void linkRequestsWithBadKeysAreRefused() {
    TestDevice device = new TestDevice();
    TestDevice other = new TestDevice();
    var good = device.keys(1, 1);
    var bad =
        new org.parley.protocol.keys.DeviceKeys(
            good.registrationId(),
            good.identityKey(),
            other.signedPreKey(),
            good.lastResortKyberPreKey(),
            good.preKeys(),
            good.kyberPreKeys());
    Response r = server.post("/v1/links", new LinkRequest(device.password, "laptop", bad), null);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("bad_signature");
  }

  @Test
  void expiredLinksAreClosed() throws Exception {
    try (TestServer shortLived = TestServer.start(c -> c.withLinkTtl(Duration.ofMillis(300)))) {
      TestDevice alice = shortLived.register(0, 0);
      Pending link = create(shortLived);
      Thread.sleep(400);
      assertThat(poll(shortLived, link).json().path("state").asText()).isEqualTo("expired");
      Response info = shortLived.get("/v1/links/" + link.code(), alice.credentials());
      assertThat(info.status()).isEqualTo(410);
      assertThat(info.code()).isEqualTo("link_closed");
      Response approve =
          shortLived.post(
              "/v1/links/" + link.code() + "/approve", approval(alice, link), alice.credentials());
      assertThat(approve.status()).isEqualTo(410);
      assertThat(shortLived.get("/v1/accounts/me", alice.credentials()).json().path("devices"))
          .hasSize(1);
    }
  }
}
