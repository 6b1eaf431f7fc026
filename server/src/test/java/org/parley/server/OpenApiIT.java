package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.keys.UploadKeysRequest;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkCreated;
import org.parley.protocol.link.LinkPollRequest;
import org.parley.protocol.link.LinkRequest;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.EnvelopeBatch;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;
import org.parley.server.kt.KtSettings;

/**
 * docs/spec/openapi.yaml describes the server as it runs: every route the server registers is in
 * the description and every described route is registered, and real answers (success and error, one
 * or more per route) have a status the description lists for that route and a body that validates
 * against its schema.
 */
class OpenApiIT {
  private static final Path FILE = Path.of("..", "docs", "spec", "openapi.yaml");
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  static TestServer server;
  static JsonNode spec;
  static final Set<String> checked = new TreeSet<>();

  @BeforeAll
  static void start() throws Exception {
    spec = new YAMLMapper().readTree(FILE.toFile());
    server =
        TestServer.start(
            c ->
                c.withKt(
                    KtSettings.defaults()
                        .withMaxBehind(Duration.ofHours(3))
                        .withEpoch(Duration.ofHours(1), Duration.ofHours(1))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyRegisteredRouteIsDescribedAndEveryDescribedRouteIsRegistered() {
    Set<String> registered =
        server.server.routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> described = new TreeSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = spec.path("paths").fields();
        paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fieldNames()
          .forEachRemaining(
              method -> {
                if (METHODS.contains(method)) {
                  described.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
              });
    }
    assertThat(spec.path("openapi").asText()).isEqualTo("3.1.0");
    assertThat(registered).as("routes the server answers").isNotEmpty();
    assertThat(described).as("routes in openapi.yaml").isEqualTo(registered);
  }

  @Test
  void realAnswersConformToTheDescription() throws Exception {
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    Credentials me = alice.credentials();
    String bobDevices = "/v1/accounts/" + bob.accountId + "/devices";
    String handle = server.get(bobDevices, me).json().path("handle").asText();

    conform("GET", "/v1/server", server.get("/v1/server", null));
    conform("GET", "/v1/health", server.get("/v1/health", null));
    conform("GET", "/v1/accounts/me", server.get("/v1/accounts/me", me));
    conform("GET", "/v1/accounts/me", server.get("/v1/accounts/me", null));
    conform("GET", "/v1/accounts/{accountId}/devices", server.get(bobDevices, me));
    conform(
        "GET",
        "/v1/accounts/{accountId}/devices",
        server.get("/v1/accounts/" + AccountId.random() + "/devices", me));
    conform("GET", "/v1/accounts/{accountId}/devices", server.get("/v1/accounts/nope/devices", me));
    conform("GET", "/v1/handles/{handle}", server.get("/v1/handles/" + handle, me));
    conform("GET", "/v1/handles/{handle}", server.get("/v1/handles/nobody@parley.test", me));
    conform("GET", "/v1/handles/{handle}", server.get("/v1/handles/Not%20a%20handle", me));
    conform("POST", "/v1/accounts", server.post("/v1/accounts", "{\"handle\": 5}", null));
    conform("POST", "/v1/accounts", server.post("/v1/accounts", "{\"handle\": ", null));

    conform("GET", "/v1/keys/status", server.get("/v1/keys/status", me));
    conform(
        "PUT",
        "/v1/keys",
        server.put("/v1/keys", new UploadKeysRequest(null, null, alice.preKeys(2), null), me));
    conform(
        "GET",
        "/v1/keys/{accountId}/{deviceId}",
        server.get("/v1/keys/" + bob.accountId + "/1", me));
    conform(
        "GET",
        "/v1/keys/{accountId}/{deviceId}",
        server.get("/v1/keys/" + bob.accountId + "/*", me));
    conform(
        "GET",
        "/v1/keys/{accountId}/{deviceId}",
        server.get("/v1/keys/" + bob.accountId + "/9", me));

    int registrationId =
        server.get(bobDevices, me).json().path("devices").get(0).path("registrationId").asInt();
    SendRequest toBob =
        new SendRequest(
            List.of(
                new OutgoingMessage(
                    DeviceId.of(1), registrationId, EnvelopeType.MESSAGE, new byte[] {1, 2, 3})),
            System.currentTimeMillis());
    conform(
        "PUT", "/v1/messages/{accountId}", server.put("/v1/messages/" + bob.accountId, toBob, me));
    SendRequest stale =
        new SendRequest(
            List.of(new OutgoingMessage(DeviceId.of(2), 1, EnvelopeType.MESSAGE, new byte[] {1})),
            System.currentTimeMillis());
    Response staleAnswer = server.put("/v1/messages/" + bob.accountId, stale, me);
    assertThat(staleAnswer.code()).isEqualTo("stale_devices");
    conform("PUT", "/v1/messages/{accountId}", staleAnswer);
    Response batch = server.get("/v1/messages?limit=10", bob.credentials());
    conform("GET", "/v1/messages", batch);
    conform("GET", "/v1/messages", server.get("/v1/messages?limit=0", bob.credentials()));
    String id = batch.as(EnvelopeBatch.class).envelopes().getFirst().id();
    conform(
        "POST",
        "/v1/messages/ack",
        server.post("/v1/messages/ack", new AckRequest(List.of(id)), bob.credentials()));
    conform(
        "POST",
        "/v1/messages/ack",
        server.post("/v1/messages/ack", new AckRequest(List.of(id)), bob.credentials()));
    conform("GET", "/v1/websocket", server.get("/v1/websocket", null));
    var group =
        new org.parley.protocol.message.GroupSendRequest(
            List.of(
                new org.parley.protocol.message.GroupRecipient(
                    bob.accountId,
                    List.of(
                        new org.parley.protocol.message.RecipientDevice(
                            DeviceId.of(1), registrationId)),
                    List.of()),
                new org.parley.protocol.message.GroupRecipient(
                    org.parley.protocol.AccountId.random(),
                    List.of(new org.parley.protocol.message.RecipientDevice(DeviceId.of(1), 1)),
                    List.of())),
            EnvelopeType.SENDER_KEY_MESSAGE,
            new byte[] {1, 2, 3},
            System.currentTimeMillis());
    conform("POST", "/v1/messages/group", server.post("/v1/messages/group", group, me));
    conform("POST", "/v1/messages/group", server.post("/v1/messages/group", "{}", me));
    conform(
        "POST",
        "/v1/messages/group/ephemeral",
        server.post("/v1/messages/group/ephemeral", group, me));
    conform(
        "POST",
        "/v1/messages/group/ephemeral",
        server.post("/v1/messages/group/ephemeral", "{}", me));
    conform(
        "PUT",
        "/v1/messages/{accountId}/ephemeral",
        server.put("/v1/messages/" + bob.accountId + "/ephemeral", toBob, me));
    conform(
        "PUT",
        "/v1/messages/{accountId}/ephemeral",
        server.put("/v1/messages/" + bob.accountId + "/ephemeral", stale, me));
    conform(
        "PUT",
        "/v1/messages/{accountId}/ephemeral",
        server.put(
            "/v1/messages/" + org.parley.protocol.AccountId.random() + "/ephemeral", toBob, me));
    byte[] credential = new byte[org.parley.protocol.sealed.DeliveryCredential.LENGTH];
    new java.security.SecureRandom().nextBytes(credential);
    conform(
        "PUT",
        "/v1/devices/me/delivery-credential",
        server.put(
            "/v1/devices/me/delivery-credential",
            new org.parley.protocol.sealed.DeliveryCredential(credential),
            bob.credentials()));
    conform("GET", "/v1/certificate/trust-root", server.get("/v1/certificate/trust-root", null));
    conform("GET", "/v1/certificate/sender", server.get("/v1/certificate/sender", me));
    conform("GET", "/v1/certificate/sender", server.get("/v1/certificate/sender", null));
    var sealed =
        new org.parley.protocol.sealed.SealedSendRequest(
            List.of(
                new org.parley.protocol.sealed.SealedMessage(
                    DeviceId.of(1), registrationId, credential, new byte[] {0x11, 1})),
            System.currentTimeMillis());
    String sealedPath = "/v1/messages/" + bob.accountId + "/sealed";
    conform("PUT", "/v1/messages/{accountId}/sealed", server.put(sealedPath, sealed, null));
    conform(
        "PUT",
        "/v1/messages/{accountId}/sealed",
        server.put(
            "/v1/messages/" + org.parley.protocol.AccountId.random() + "/sealed", sealed, null));
    conform("PUT", "/v1/messages/{accountId}/sealed", server.put(sealedPath, "{}", null));
    // a group message sealed for bob's one device, and a payload that is none
    byte[] payload = alice.sealedGroupMessage(server, List.of(bob), new byte[] {1});
    for (byte[] upload : List.of(payload, new byte[] {0x23})) {
      conform(
          "POST",
          "/v1/messages/group/sealed",
          server.post(
              "/v1/messages/group/sealed",
              new org.parley.protocol.sealed.SealedGroupSendRequest(
                  List.of(
                      new org.parley.protocol.sealed.SealedGroupRecipient(
                          bob.accountId, DeviceId.of(1), credential)),
                  upload,
                  System.currentTimeMillis()),
              null));
    }
    // a batch holding the sealed envelope: its source fields are null
    Response withSealed = server.get("/v1/messages?limit=10", bob.credentials());
    assertThat(withSealed.body()).contains("\"type\":\"sealed_sender\"");
    conform("GET", "/v1/messages", withSealed);

    TestDevice laptop = new TestDevice();
    Response created =
        server.post(
            "/v1/links", new LinkRequest(laptop.password, "laptop", laptop.keys(1, 1)), null);
    conform("POST", "/v1/links", created);
    String code = created.as(LinkCreated.class).code().value();
    conform("GET", "/v1/links/{code}", server.get("/v1/links/" + code, me));
    conform(
        "POST",
        "/v1/links/{code}/status",
        server.post("/v1/links/" + code + "/status", new LinkPollRequest(laptop.password), null));
    conform(
        "POST", "/v1/links/{code}/reject", server.post("/v1/links/" + code + "/reject", "", me));
    conform(
        "POST", "/v1/links/{code}/reject", server.post("/v1/links/" + code + "/reject", "", me));
    conform(
        "POST",
        "/v1/links/{code}/status",
        server.post("/v1/links/" + code + "/status", new LinkPollRequest(laptop.password), null));
    // a new device accepts the account that approved it (state linked), or declines it
    for (boolean accept : new boolean[] {true, false}) {
      TestDevice tablet = new TestDevice();
      LinkCode offer =
          server
              .post(
                  "/v1/links", new LinkRequest(tablet.password, "tablet", tablet.keys(1, 1)), null)
              .as(LinkCreated.class)
              .code();
      conform(
          "POST",
          "/v1/links/{code}/approve",
          server.post(
              "/v1/links/" + offer + "/approve",
              alice.linkApproval(offer, tablet.identityKey()),
              me));
      String path = "/v1/links/{code}/" + (accept ? "accept" : "decline");
      String real = "/v1/links/" + offer + "/" + (accept ? "accept" : "decline");
      LinkPollRequest poll = new LinkPollRequest(tablet.password);
      conform("POST", path, server.post(real, poll, null));
      conform("POST", path, server.post(real, poll, null)); // 410 link_closed once done
    }
    conform(
        "POST",
        "/v1/links/{code}/decline",
        server.post(
            "/v1/links/0000-0000-0000-0000/decline", new LinkPollRequest("x".repeat(22)), null));
    TestDevice phone = server.link(bob);
    conform(
        "POST",
        "/v1/links/{code}/approve",
        server.post("/v1/links/0000-0000-0000-0000/approve", "{}", me));
    conform("DELETE", "/v1/devices/{deviceId}", server.delete("/v1/devices/5", me));
    conform("DELETE", "/v1/devices/{deviceId}", server.delete("/v1/devices/1", me));
    conform(
        "DELETE",
        "/v1/devices/{deviceId}",
        server.delete("/v1/devices/" + phone.deviceId.value(), phone.credentials()));

    conform("GET", "/v1/kt/config", server.get("/v1/kt/config", null));
    server.server.keyTransparency().publish();
    Label bobLabel = new Label(KtLabels.account(bob.accountId));
    Label own = new Label(KtLabels.account(alice.accountId));
    conform(
        "POST",
        "/v1/kt/search",
        binary(
            "/v1/kt/search",
            new SearchRequest(OptionalLong.empty(), bobLabel, OptionalLong.empty()).encode(),
            me));
    conform(
        "POST",
        "/v1/kt/search",
        binary(
            "/v1/kt/search",
            new SearchRequest(OptionalLong.empty(), new Label(new byte[] {1}), OptionalLong.empty())
                .encode(),
            me));
    conform("POST", "/v1/kt/search", binary("/v1/kt/search", new byte[] {9}, me));
    conform(
        "POST",
        "/v1/kt/update",
        binary(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.empty(), own, OptionalLong.empty(), List.of()).encode(),
            me));
    conform(
        "POST",
        "/v1/kt/update",
        binary(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.empty(), own, OptionalLong.of(0), List.of()).encode(),
            me));
    conform(
        "POST",
        "/v1/kt/owner/init",
        binary(
            "/v1/kt/owner/init",
            new org.parley.keytrans.message.OwnerInitRequest(OptionalLong.empty(), bobLabel, 0)
                .encode(),
            me));
    conform(
        "POST",
        "/v1/kt/monitor",
        binary(
            "/v1/kt/monitor",
            new org.parley.keytrans.message.ContactMonitorRequest(
                    OptionalLong.of(1_000_000), bobLabel, List.of())
                .encode(),
            me));
    conform("POST", "/v1/kt/owner/monitor", binary("/v1/kt/owner/monitor", new byte[] {0}, me));
    conform("GET", "/v1/kt/audit", server.get("/v1/kt/audit?start=0&limit=5", null));
    conform("GET", "/v1/kt/audit", server.get("/v1/kt/audit?start=x", null));
    conform("GET", "/v1/kt/auditor-proof", server.get("/v1/kt/auditor-proof?size=1&last=1", null));
    conform("GET", "/v1/kt/auditor-heads", server.get("/v1/kt/auditor-heads", null));
    conform(
        "POST",
        "/v1/kt/auditor-heads",
        server.post(
            "/v1/kt/auditor-heads",
            "{\"auditorPublicKey\":\""
                + "A".repeat(43)
                + "\",\"treeSize\":1,\"timestamp\":1,\"signature\":\""
                + "A".repeat(86)
                + "\"}",
            null));

    // every route is sampled at least once
    Set<String> routes =
        server.server.routes().stream()
            .map(r -> r.method() + " " + r.path())
            .collect(Collectors.toCollection(TreeSet::new));
    routes.removeAll(checked);
    assertThat(routes).as("routes without a sampled answer").isEmpty();
  }

  @Test
  void theSchemasRefuseWhatTheyDoNotDescribe() throws Exception {
    JsonNode error =
        spec.path("components")
            .path("responses")
            .path("Error")
            .path("content")
            .path("application/json")
            .path("schema");
    var json = org.parley.protocol.Json.mapper();
    assertThat(validate(error, json.readTree("{\"code\":\"unknown_label\",\"message\":\"x\"}")))
        .isEmpty();
    assertThat(validate(error, json.readTree("{\"code\":\"no_such_code\",\"message\":\"x\"}")))
        .isNotEmpty();
    assertThat(validate(error, json.readTree("{\"message\":\"x\"}"))).isNotEmpty();
    JsonNode devices =
        spec.path("paths")
            .path("/v1/accounts/me")
            .path("get")
            .path("responses")
            .path("200")
            .path("content")
            .path("application/json")
            .path("schema");
    assertThat(
            validate(
                devices,
                json.readTree(
                    "{\"accountId\":\"not-a-uuid\",\"handle\":"
                        + "\"a@b\",\"devices\":[{\"deviceId\":1,\"registrationId\":1,\"identityKey\":"
                        + "\"AA\",\"createdAt\":1}]}")))
        .isNotEmpty();
  }

  /** The answer's status is listed for the route, and its body fits the listed content. */
  private static void conform(String method, String template, Response r) {
    checked.add(method + " " + template);
    JsonNode operation =
        spec.path("paths").path(template).path(method.toLowerCase(java.util.Locale.ROOT));
    assertThat(operation.isMissingNode()).as(method + " " + template + " is described").isFalse();
    JsonNode response = resolve(operation.path("responses").path(String.valueOf(r.status())));
    assertThat(response.isMissingNode())
        .as(
            method
                + " "
                + template
                + " answered "
                + r.status()
                + ", which the description does not"
                + " list: "
                + r.body())
        .isFalse();
    JsonNode content = response.path("content");
    String type = r.headers().firstValue("Content-Type").orElse("");
    if (content.isMissingNode()) {
      assertThat(r.body())
          .as(method + " " + template + " " + r.status() + " has no body")
          .isEmpty();
    } else if (content.has("application/json")) {
      assertThat(type).as(method + " " + template + " content type").startsWith("application/json");
      List<String> errors = validate(content.path("application/json").path("schema"), r.json());
      assertThat(errors).as(method + " " + template + " " + r.status() + ": " + r.body()).isEmpty();
    } else {
      assertThat(type)
          .as(method + " " + template + " content type")
          .startsWith("application/octet-stream");
      assertThat(r.body()).isNotEmpty();
    }
    response
        .path("headers")
        .fieldNames()
        .forEachRemaining(
            header -> assertThat(r.headers().firstValue(header)).as(header).isPresent());
  }

  private static JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText(null);
    if (ref == null) {
      return node;
    }
    JsonNode target = spec;
    for (String part : ref.substring(2).split("/")) {
      target = target.path(part);
    }
    return target;
  }

  /** Validates with the description's components in scope, so that its $refs resolve. */
  private static List<String> validate(JsonNode schema, JsonNode value) {
    ObjectNode document = schema.deepCopy();
    document.set("components", spec.path("components").deepCopy());
    JsonSchema compiled =
        JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(document);
    Set<ValidationMessage> messages = compiled.validate(value);
    return messages.stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static Response binary(String path, byte[] body, Credentials credentials) {
    return server.send(
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", credentials.authorizationHeader())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }
}
