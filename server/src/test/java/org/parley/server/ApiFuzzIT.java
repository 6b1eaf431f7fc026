package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Json;
import org.parley.protocol.keys.UploadKeysRequest;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkPollRequest;
import org.parley.protocol.link.LinkRequest;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.ws.ClientFrame;

/**
 * "Bad input never gets a 500": a bounded, seeded fuzz of every endpoint of docs/spec/api.md and of
 * WebSocket frames against a real server. Each answer must be a 2xx (the mutation happened to stay
 * valid) or a 4xx whose body is {@code {"code","message"}} with a code of errors.md and that code's
 * status, never a stack trace; and nothing stored before the fuzzing may change. Replay or vary a
 * run with {@code -Dparley.fuzz.seed=N}; {@code -Dparley.fuzz.rounds=N} scales it.
 */
class ApiFuzzIT {
  static final long SEED = Long.getLong("parley.fuzz.seed", 0x9A71E7L);
  static final int ROUNDS = Integer.getInteger("parley.fuzz.rounds", 1);
  private static final List<String> LEAKS =
      List.of("Exception", "at org.", "java.", "jakarta.", "org.eclipse", "javalin", "\tat ");

  static TestServer server;
  static FuzzClient client;
  static TestDevice victim;
  static TestDevice victim2;
  static TestDevice attacker;
  static TestDevice target;
  static final List<String> failures = new ArrayList<>();
  static final Map<Integer, Integer> statuses = new TreeMap<>();
  static int requests;

  Random random;
  FuzzMutator mutator;

  @BeforeAll
  static void start() {
    System.out.println(
        "ApiFuzzIT seed "
            + SEED
            + " (replay with -Dparley.fuzz.seed="
            + SEED
            + "), rounds "
            + ROUNDS);
    // the fuzz is about what each request does, not how many: every limit out of its way
    server =
        TestServer.start(
            c ->
                c.withLimits(
                    new org.parley.server.http.RateLimits(
                        100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000, 100_000,
                        100_000, 100_000, 100_000, 100_000)));
    client = new FuzzClient(server.server.uri());
    victim = server.register(5, 5);
    victim2 = server.link(victim);
    attacker = server.register(3, 3);
    target = server.register(3, 3);
    // the victim's queue: one envelope for each of its devices, stored before any fuzzing
    Response sent =
        MessagesIT.send(
            server,
            target,
            victim.accountId,
            MessagesIT.message(victim, "keep 1"),
            MessagesIT.message(victim2, "keep 2"));
    assertThat(sent.status()).as(sent.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    System.out.println("ApiFuzzIT: " + requests + " checked answers, by status " + statuses);
    server.close();
  }

  /** What must survive the fuzzing unchanged. */
  record VictimState(String devices, String keys1, String keys2, String queue1, String queue2) {
    static VictimState read() {
      return new VictimState(
          ok(server.get("/v1/accounts/me", victim.credentials())),
          ok(server.get("/v1/keys/status", victim.credentials())),
          ok(server.get("/v1/keys/status", victim2.credentials())),
          ok(server.get("/v1/messages", victim.credentials())),
          ok(server.get("/v1/messages", victim2.credentials())));
    }

    private static String ok(Response r) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.body();
    }
  }

  @Test
  void badHttpRequestsGetFourHundredsAndChangeNothingStored() {
    random = new Random(SEED);
    mutator = new FuzzMutator(random);
    VictimState before = VictimState.read();
    assertThat(before.queue1()).contains(Json.base64Url("keep 1".getBytes()));
    long start = System.nanoTime();

    fuzzBodies();
    fuzzKeyTransparency();
    fuzzPaths();
    fuzzMethodsAndCredentials();

    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("ApiFuzzIT: HTTP fuzzing, %d requests in %d ms%n", requests, millis);
    assertThat(failures).as("answers that broke the rule (seed %d)", SEED).isEmpty();
    assertThat(VictimState.read())
        .as("the victim's devices, prekey counts and queues")
        .isEqualTo(before);
    assertThat(server.get("/v1/health", null).status()).isEqualTo(200);
  }

  // ---- request bodies mutated from valid ones -------------------------------------------------

  private void fuzzBodies() {
    // Valid bodies from real keys; each may become valid again by chance, which the server may
    // accept.
    TestDevice newcomer = new TestDevice();
    JsonNode register =
        tree(
            newcomer.registration(
                TestServer.handle("fuzz-newcomer"), "phone", newcomer.keys(1, 1)));
    JsonNode linkRequest = tree(new LinkRequest(newcomer.password, "laptop", newcomer.keys(1, 1)));
    JsonNode upload =
        tree(
            new UploadKeysRequest(
                attacker.signedPreKey(),
                    TestDevice.kyber(attacker.crypto.newLastResortKyberPreKey()),
                attacker.preKeys(2), attacker.kyberPreKeys(1)));
    JsonNode send =
        tree(new SendRequest(List.of(MessagesIT.message(target, "fuzz")), 1_700_000_000_000L));
    assertThat(
            MessagesIT.send(
                    server, target, attacker.accountId, MessagesIT.message(attacker, "ack me"))
                .status())
        .isEqualTo(200);
    String queued = MessagesIT.fetch(server, attacker).envelopes().getFirst().id();
    JsonNode ack = tree(new AckRequest(List.of(queued)));
    LinksIT.Pending polled = LinksIT.create(server);
    JsonNode poll = tree(new LinkPollRequest(polled.device().password));
    LinksIT.Pending approved = LinksIT.create(server);
    JsonNode approve =
        tree(attacker.linkApproval(approved.code(), approved.device().identityKey()));

    byte[] credential = new byte[org.parley.protocol.sealed.DeliveryCredential.LENGTH];
    JsonNode deliveryCredential =
        tree(new org.parley.protocol.sealed.DeliveryCredential(credential));
    JsonNode sealed =
        tree(
            new org.parley.protocol.sealed.SealedSendRequest(
                List.of(
                    new org.parley.protocol.sealed.SealedMessage(
                        org.parley.protocol.DeviceId.of(1), 1, credential, new byte[] {0x11, 1})),
                1_700_000_000_000L));

    JsonNode sealedGroup =
        tree(
            new org.parley.protocol.sealed.SealedGroupSendRequest(
                List.of(
                    new org.parley.protocol.sealed.SealedGroupRecipient(
                        victim.accountId, victim.deviceId, credential)),
                org.parley.server.sealed.MultiRecipientMessageTest.upload(),
                1_700_000_000_000L));

    int n = 200 * ROUNDS;
    fuzzBody("POST", "/v1/messages/group/sealed", sealedGroup, n, false);
    fuzzBody("PUT", "/v1/devices/me/delivery-credential", deliveryCredential, n / 2, true);
    fuzzBody("PUT", "/v1/messages/" + target.accountId + "/sealed", sealed, n, false);
    fuzzBody("POST", "/v1/accounts", register, n, false);
    fuzzBody("POST", "/v1/links", linkRequest, n / 2, false);
    fuzzBody("PUT", "/v1/keys", upload, n / 2, true);
    fuzzBody("PUT", "/v1/messages/" + target.accountId, send, n, true);
    fuzzBody("PUT", "/v1/messages/" + target.accountId + "/ephemeral", send, n / 2, true);
    fuzzBody("POST", "/v1/messages/ack", ack, n, true);
    fuzzBody("POST", "/v1/links/" + polled.code() + "/status", poll, n / 2, false);
    fuzzBody("POST", "/v1/links/" + approved.code() + "/approve", approve, n / 2, true);
  }

  private void fuzzBody(
      String method, String path, JsonNode valid, int count, boolean authenticated) {
    for (byte[] body : mutator.oddStringInEveryField(valid)) {
      exchange(
          method,
          path,
          authenticated ? attacker.credentials().authorizationHeader() : null,
          "application/json",
          body);
    }
    for (int i = 0; i < count; i++) {
      byte[] body = random.nextInt(10) == 0 ? mutator.garbage() : mutator.mutate(valid);
      String authorization = authenticated || random.nextInt(5) == 0 ? authorization() : null;
      exchange(method, path, authorization, contentType(), body);
    }
  }

  // ---- key transparency: binary bodies ---------------------------------------------------------

  /** The draft's TLS-presentation requests, byte-mutated: never a 5xx, never a leak. */
  private void fuzzKeyTransparency() {
    var label =
        new org.parley.keytrans.commit.Label(
            org.parley.protocol.kt.KtLabels.account(target.accountId));
    var own =
        new org.parley.keytrans.commit.Label(
            org.parley.protocol.kt.KtLabels.account(attacker.accountId));
    java.util.OptionalLong none = java.util.OptionalLong.empty();
    java.util.Map<String, byte[]> valid = new java.util.LinkedHashMap<>();
    valid.put("search", new org.parley.keytrans.message.SearchRequest(none, label, none).encode());
    valid.put(
        "monitor",
        new org.parley.keytrans.message.ContactMonitorRequest(
                none, label, List.of(new org.parley.keytrans.message.MonitorMapEntry(0, 0)))
            .encode());
    valid.put(
        "owner/init", new org.parley.keytrans.message.OwnerInitRequest(none, own, 0).encode());
    valid.put(
        "owner/monitor",
        new org.parley.keytrans.message.OwnerMonitorRequest(none, own, List.of(), 0, none)
            .encode());
    valid.put(
        "update",
        new org.parley.keytrans.message.UpdateRequest(none, own, none, List.of()).encode());
    for (var e : valid.entrySet()) {
      String path = "/v1/kt/" + e.getKey();
      byte[] body = e.getValue();
      exchange(
          "POST",
          path,
          attacker.credentials().authorizationHeader(),
          "application/octet-stream",
          body);
      for (int i = 0; i < 60 * ROUNDS; i++) {
        byte[] bad;
        switch (random.nextInt(4)) {
          case 0 -> {
            bad = body.clone();
            bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
          }
          case 1 -> bad = java.util.Arrays.copyOf(body, random.nextInt(body.length));
          case 2 -> {
            bad = java.util.Arrays.copyOf(body, body.length + 1 + random.nextInt(8));
            bad[bad.length - 1] = (byte) random.nextInt(256);
          }
          default -> {
            bad = new byte[random.nextInt(64)];
            random.nextBytes(bad);
          }
        }
        if (bad.length == 0) {
          bad = new byte[] {0};
        }
        exchange(
            "POST",
            path,
            attacker.credentials().authorizationHeader(),
            "application/octet-stream",
            bad);
      }
    }
    for (String query :
        List.of(
            "",
            "?start=0",
            "?start=-1",
            "?start=x",
            "?start=99999999999",
            "?limit=0",
            "?start=0&limit=100000",
            "?start=%00")) {
      exchange("GET", "/v1/kt/audit" + query, null, null, null);
    }
    for (String query :
        List.of("", "?size=1&last=1", "?size=0&last=1", "?size=5&last=2", "?size=x", "?last=-4")) {
      exchange("GET", "/v1/kt/auditor-proof" + query, null, null, null);
    }
  }

  // ---- path parameters and query strings ------------------------------------------------------

  private void fuzzPaths() {
    LinksIT.Pending inspected = LinksIT.create(server);
    LinksIT.Pending rejected = LinksIT.create(server);
    List<String> accounts = FuzzInputs.accountIds(attacker.accountId, target.accountId);
    List<String> readOnlyAccounts =
        FuzzInputs.accountIds(attacker.accountId, target.accountId, victim.accountId);
    List<String> devices = FuzzInputs.deviceIds(false);
    List<String> unusedDevices = FuzzInputs.deviceIds(true);
    List<String> handles = FuzzInputs.handles(handleOf(victim), handleOf(attacker));
    List<String> codes = FuzzInputs.linkCodes(inspected.code(), rejected.code());
    String sendBody =
        Json.writeString(new SendRequest(List.of(MessagesIT.message(target, "p")), 1L));
    String approveBody = Json.writeString(new ApproveLinkRequest(new byte[64], new byte[64]));
    String pollBody = Json.writeString(new LinkPollRequest(TestDevice.randomPassword()));

    List<Supplier<String[]>> cases =
        List.of(
            () -> req("GET", "/v1/accounts/" + pick(readOnlyAccounts) + "/devices", null),
            () -> req("GET", "/v1/handles/" + pick(handles), null),
            () -> req("DELETE", "/v1/devices/" + pick(unusedDevices), null),
            () -> req("GET", "/v1/keys/" + pick(accounts) + "/" + pick(devices), null),
            () -> req("PUT", "/v1/messages/" + pick(accounts), sendBody),
            () -> req("GET", "/v1/messages" + pick(FuzzInputs.LIMITS), null),
            () -> req("GET", "/v1/links/" + pick(codes), null),
            () -> req("POST", "/v1/links/" + pick(codes) + "/status", pollBody),
            () -> req("POST", "/v1/links/" + pick(codes) + "/approve", approveBody),
            () -> req("POST", "/v1/links/" + pick(codes) + "/reject", null),
            () -> req("GET", "/v1/" + pick(FuzzInputs.JUNK) + "/" + pick(FuzzInputs.JUNK), null),
            () -> req("GET", longPath(), null));
    for (int i = 0; i < 700 * ROUNDS; i++) {
      String[] r = mutator.pick(cases).get();
      String authorization =
          random.nextInt(6) == 0
              ? badAuthorization()
              : attacker.credentials().authorizationHeader();
      exchange(
          r[0],
          r[1],
          authorization,
          r[2] == null ? null : "application/json",
          r[2] == null ? null : r[2].getBytes(StandardCharsets.UTF_8));
    }
  }

  private String longPath() {
    int n = mutator.pickOf(2_000, 7_000, 9_000, 20_000, 70_000);
    return mutator.pickOf(
            "/v1/accounts/", "/v1/handles/", "/v1/keys/", "/v1/links/", "/v1/messages?limit=")
        + mutator.randomAscii(n).replaceAll("[ %#?]", "a");
  }

  private static String[] req(String method, String path, String body) {
    return new String[] {method, path, body};
  }

  // ---- every endpoint with other methods and bad credentials ----------------------------------

  private void fuzzMethodsAndCredentials() {
    String any = AccountId.random().value();
    List<String> paths =
        List.of(
            "/v1/server",
            "/v1/health",
            "/v1/accounts",
            "/v1/accounts/me",
            "/v1/accounts/" + any + "/devices",
            "/v1/handles/a@" + TestServer.DOMAIN,
            "/v1/devices/5",
            "/v1/keys",
            "/v1/keys/status",
            "/v1/keys/" + target.accountId + "/1",
            "/v1/keys/" + target.accountId + "/*",
            "/v1/messages/" + any,
            "/v1/messages?limit=5",
            "/v1/messages/ack",
            "/v1/websocket",
            "/v1/links",
            "/v1/links/AAAA-AAAA-AAAA-AAAA",
            "/v1/links/AAAA-AAAA-AAAA-AAAA/status",
            "/v1/links/AAAA-AAAA-AAAA-AAAA/approve",
            "/v1/links/AAAA-AAAA-AAAA-AAAA/reject",
            "/",
            "/v1",
            "/v1/",
            "/v2/server",
            "/v1/server/",
            "//v1/server",
            "/v1/./server",
            "/v1/../v1/server",
            "*",
            "/v1/accounts/me?x=%ZZ");
    for (int i = 0; i < 400 * ROUNDS; i++) {
      String method =
          mutator.pickOf("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO", "get");
      byte[] body = random.nextBoolean() ? null : mutator.garbage();
      String authorization =
          switch (random.nextInt(3)) {
            case 0 -> null;
            case 1 -> badAuthorization();
            default -> attacker.credentials().authorizationHeader();
          };
      exchange(
          method, mutator.pick(paths), authorization, body == null ? null : contentType(), body);
    }
  }

  // ---- WebSocket frames -----------------------------------------------------------------------

  @Test
  void badWebSocketFramesGetErrorFramesAndDeleteNothing() throws Exception {
    Random random = new Random(SEED + 1);
    FuzzMutator frames = new FuzzMutator(random);
    TestDevice reader = server.register(0, 0);
    for (String text : List.of("A", "B")) {
      assertThat(
              MessagesIT.send(server, target, reader.accountId, MessagesIT.message(reader, text))
                  .status())
          .isEqualTo(200);
    }
    List<String> ids =
        MessagesIT.fetch(server, reader).envelopes().stream().map(e -> e.id()).toList();
    String a = ids.get(0);
    String b = ids.get(1);
    JsonNode validAck = tree(new ClientFrame.Ack(List.of(a)));
    List<String> problems = new ArrayList<>();
    Set<String> acked = new HashSet<>();
    int sent = 0;
    long start = System.nanoTime();
    try (WsClient ws = server.connect(reader.credentials())) {
      ws.next("envelope");
      ws.next("envelope");
      ws.next("queue_empty");
      ws.next("keys_low");
      List<byte[]> odd = frames.oddStringInEveryField(validAck);
      for (int i = 0; i < odd.size() + 250 * ROUNDS; i++) {
        byte[] bytes =
            i < odd.size()
                ? odd.get(i)
                : random.nextInt(8) == 0 ? frames.garbage() : frames.mutate(validAck);
        if (bytes.length > 60_000) {
          continue; // over the frame size limit the socket is closed (1009), as WebSocket specifies
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (random.nextInt(20) == 0) {
          ws.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        } else {
          ws.send(text);
        }
        sent++;
        String answer = ws.frames.poll(10, TimeUnit.SECONDS);
        if (answer == null) {
          problems.add("no answer to frame " + abbreviate(text));
          break;
        }
        JsonNode frame = Json.mapper().readTree(answer);
        switch (frame.path("type").asText()) {
          case "acked" -> frame.path("ids").forEach(id -> acked.add(id.asText()));
          case "error" -> {
            String problem = errorProblem(frame.path("code").asText(), -1, answer);
            if (problem != null) {
              problems.add(problem + " for frame " + abbreviate(text));
            }
          }
          default ->
              problems.add("unexpected frame " + abbreviate(answer) + " for " + abbreviate(text));
        }
      }
      assertThat(problems).as("WebSocket answers (seed %d)", SEED).isEmpty();
      assertThat(ws.closeCode).as("the socket is still open").isNotDone();
      assertThat(acked).as("only the valid ack's id can have been deleted").isSubsetOf(a);
      List<String> queued =
          MessagesIT.fetch(server, reader).envelopes().stream().map(e -> e.id()).toList();
      assertThat(queued).contains(b);
      assertThat(queued.contains(a)).isEqualTo(!acked.contains(a));
      // still usable: a valid ack works
      ws.sendJson(new ClientFrame.Ack(queued));
      assertThat(ws.next("acked").path("ids")).hasSize(queued.size());
    }
    assertThat(MessagesIT.fetch(server, reader).envelopes()).isEmpty();
    System.out.printf(
        "ApiFuzzIT: %d WebSocket frames in %d ms%n", sent, (System.nanoTime() - start) / 1_000_000);
  }

  // ---- sending and checking -------------------------------------------------------------------

  private void exchange(
      String method, String path, String authorization, String contentType, byte[] body) {
    List<FuzzClient.Header> headers = new ArrayList<>();
    if (authorization != null) {
      headers.add(new FuzzClient.Header("Authorization", authorization));
    }
    if (contentType != null) {
      headers.add(new FuzzClient.Header("Content-Type", contentType));
    }
    FuzzClient.Answer answer =
        client.send(method, path.getBytes(StandardCharsets.ISO_8859_1), headers, body);
    requests++;
    statuses.merge(answer.status(), 1, Integer::sum);
    String problem = problem(method, answer);
    if (problem != null && failures.size() < 50) {
      failures.add(
          problem
              + "\n    request: "
              + method
              + " "
              + abbreviate(path)
              + " auth="
              + abbreviate(authorization)
              + " type="
              + contentType
              + " body="
              + (body == null ? "none" : abbreviate(new String(body, StandardCharsets.UTF_8)))
              + "\n    answer: "
              + answer.status()
              + " "
              + abbreviate(answer.body()));
    }
  }

  /** Why the answer breaks the rule, or null. */
  private static String problem(String method, FuzzClient.Answer answer) {
    int status = answer.status();
    for (String leak : LEAKS) {
      if (answer.body().contains(leak)) {
        return "the body discloses '" + leak + "'";
      }
    }
    if (status >= 200 && status < 300) {
      return null;
    }
    if (status < 400 || status > 499) {
      return "status " + status;
    }
    if (method.equals("HEAD")) {
      return null;
    }
    JsonNode body;
    try {
      body = Json.mapper().readTree(answer.body());
    } catch (Exception e) {
      return "the body is not JSON";
    }
    if (body == null || !body.isObject() || !body.path("message").isTextual()) {
      return "the body is not {\"code\",\"message\"}";
    }
    return errorProblem(body.path("code").asText(), status, answer.body());
  }

  private static String errorProblem(String wireName, int status, String body) {
    ErrorCode code;
    try {
      code = ErrorCode.fromWireName(wireName);
    } catch (IllegalArgumentException e) {
      return "unknown code '" + wireName + "'";
    }
    if (code == ErrorCode.INTERNAL_ERROR) {
      return "internal_error";
    }
    // Jetty refuses a request line or header block over its 8 KiB buffer with 414 / 431 before
    // the API sees it; the body still says invalid_request. errors.md has no code for these.
    boolean transportLimit = (status == 414 || status == 431) && code == ErrorCode.INVALID_REQUEST;
    if (status >= 0 && status != code.httpStatus() && !transportLimit) {
      return "status " + status + " with code " + wireName + " (" + code.httpStatus() + ")";
    }
    for (String leak : LEAKS) {
      if (body.contains(leak)) {
        return "the body discloses '" + leak + "'";
      }
    }
    return null;
  }

  private String authorization() {
    return random.nextInt(4) == 0
        ? badAuthorization()
        : attacker.credentials().authorizationHeader();
  }

  private String badAuthorization() {
    return random.nextInt(3) == 0
        ? null
        : mutator.pick(FuzzInputs.badAuthorizations(attacker.credentials(), victim.accountId));
  }

  private String contentType() {
    int pick = random.nextInt(10);
    return pick < 7 ? "application/json" : pick < 8 ? null : mutator.pick(FuzzInputs.CONTENT_TYPES);
  }

  private String pick(List<String> choices) {
    return mutator.pick(choices);
  }

  private static JsonNode tree(Object value) {
    return Json.mapper().valueToTree(value);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "none";
    }
    String shown =
        text.length() > 160 ? text.substring(0, 160) + "...(" + text.length() + " chars)" : text;
    return shown.replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String handleOf(TestDevice device) {
    return server.get("/v1/accounts/me", device.credentials()).json().path("handle").asText();
  }
}
