package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.operator.LabelVersion;
import org.parley.protocol.DeviceId;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.server.kt.KtSettings;

/**
 * The key-transparency endpoints' errors, and the publisher's folding of several device-list
 * changes into one epoch. Epochs are an hour long here: the test publishes by hand.
 */
class KeyTransparencyApiIT {
  static TestServer server;

  @BeforeAll
  static void start() {
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
  void aRemovedApproverIsStillListedInAnIntermediateVersion() throws Exception {
    var kt = server.server.keyTransparency();
    TestDevice bob = server.register();
    kt.publish();
    TestDevice bob2 = server.link(bob); // approved by device 1 ...
    assertThat(server.delete("/v1/devices/1", bob2.credentials()).status()).isEqualTo(204);
    kt.publish(); // ... which is gone before the link is published
    Label label = new Label(KtLabels.account(bob.accountId));
    DeviceListValue[] versions =
        kt.query(
            (r, log) -> {
              long greatest = log.greatestVersion(label);
              DeviceListValue[] out = new DeviceListValue[(int) greatest + 1];
              for (int v = 0; v <= greatest; v++) {
                LabelVersion stored = log.version(label, v).orElseThrow();
                try {
                  out[v] = DeviceListValue.decode(stored.value().value());
                } catch (org.parley.protocol.kt.MalformedValueException e) {
                  throw new AssertionError(e);
                }
              }
              return out;
            });
    assertThat(versions).hasSize(3);
    assertThat(versions[0].entries()).extracting(e -> e.deviceId().value()).containsExactly(1);
    assertThat(versions[1].entries()).extracting(e -> e.deviceId().value()).containsExactly(1, 2);
    assertThat(versions[2].entries()).extracting(e -> e.deviceId().value()).containsExactly(2);
    assertThat(versions[2].entry(DeviceId.of(2)).orElseThrow().approver().value()).isEqualTo(1);
  }

  @Test
  void badKeyTransparencyRequestsGetDocumentedErrors() throws Exception {
    var kt = server.server.keyTransparency();
    TestDevice alice = server.register();
    TestDevice bob = server.register();
    kt.publish();
    Credentials me = alice.credentials();
    Label bobLabel = new Label(KtLabels.account(bob.accountId));

    HttpResponse<String> malformed = binary("/v1/kt/search", new byte[] {7, 7, 7}, me);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("\"invalid_request\"").contains("malformed");

    byte[] unknown =
        new SearchRequest(OptionalLong.empty(), new Label(new byte[] {1, 2}), OptionalLong.empty())
            .encode();
    assertThat(binary("/v1/kt/search", unknown, me).body()).contains("\"unknown_label\"");

    byte[] future =
        new SearchRequest(OptionalLong.of(1_000_000), bobLabel, OptionalLong.empty()).encode();
    HttpResponse<String> denied = binary("/v1/kt/search", future, me);
    assertThat(denied.statusCode()).isEqualTo(400);
    assertThat(denied.body()).contains("\"unknown_tree_size\"");

    byte[] version = new SearchRequest(OptionalLong.empty(), bobLabel, OptionalLong.of(9)).encode();
    assertThat(binary("/v1/kt/search", version, me).body()).contains("\"unknown_version\"");

    byte[] othersOwner = new OwnerInitRequest(OptionalLong.empty(), bobLabel, 0).encode();
    HttpResponse<String> forbidden = binary("/v1/kt/owner/init", othersOwner, me);
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.body()).contains("\"forbidden\"");

    assertThat(binary("/v1/kt/search", unknown, null).statusCode()).isEqualTo(401);
    assertThat(server.get("/v1/kt/audit?start=-1", null).status()).isEqualTo(400);
    assertThat(server.get("/v1/kt/audit?start=999999", null).status()).isEqualTo(400);
    Response forged =
        server.post(
            "/v1/kt/auditor-heads",
            "{\"auditorPublicKey\":\""
                + "A".repeat(43)
                + "\",\"treeSize\":1,\"timestamp\":1,\"signature\":\""
                + "A".repeat(86)
                + "\"}",
            null);
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.code()).isEqualTo("bad_signature");
    assertThat(server.get("/v1/kt/config", null).status()).isEqualTo(200);
    // no test-only endpoint on a normal server
    assertThat(server.post("/v1/test/kt/ghost/" + bob.accountId, "", null).status()).isEqualTo(404);
  }

  @Test
  void anUpdateWithNoNewerVersionIsANormalAnswer() throws Exception {
    var kt = server.server.keyTransparency();
    TestDevice carol = server.register();
    Label own = new Label(KtLabels.account(carol.accountId));
    Credentials me = carol.credentials();
    // before the first publication: no version, none advertised
    HttpResponse<String> none =
        binary(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.empty(), own, OptionalLong.empty(), List.of()).encode(),
            me);
    assertThat(none.statusCode()).as(none.body()).isEqualTo(204);
    assertThat(none.body()).isEmpty();

    kt.publish();
    HttpResponse<byte[]> first =
        binaryBytes(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.empty(), own, OptionalLong.empty(), List.of()).encode(),
            me);
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
    assertThat(first.body()).isNotEmpty();

    HttpResponse<String> upToDate =
        binary(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.empty(), own, OptionalLong.of(0), List.of()).encode(),
            me);
    assertThat(upToDate.statusCode()).as(upToDate.body()).isEqualTo(204);
    assertThat(upToDate.body()).isEmpty();

    HttpResponse<String> ahead =
        binary(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.empty(), own, OptionalLong.of(5), List.of()).encode(),
            me);
    assertThat(ahead.statusCode()).isEqualTo(400);
    assertThat(ahead.body()).contains("\"invalid_request\"");

    HttpResponse<String> neverHad =
        binary(
            "/v1/kt/update",
            new UpdateRequest(OptionalLong.of(1_000_000), own, OptionalLong.of(0), List.of())
                .encode(),
            me);
    assertThat(neverHad.statusCode()).isEqualTo(400);
    assertThat(neverHad.body()).contains("\"unknown_tree_size\"");
  }

  /**
   * More accounts than one entry takes: one publish puts them in entries of a hundred, and every
   * version carries the VRF proof the log's key gives its label and version, proven on the pool
   * while the epoch was planned.
   */
  @Test
  void aLargeEpochIsSplitIntoEntriesWhoseProofsAreTheLogsOwn() throws Exception {
    var kt = server.server.keyTransparency();
    kt.publish();
    long before = kt.size();
    List<TestDevice> accounts = new java.util.ArrayList<>();
    for (int i = 0; i < 101; i++) {
      accounts.add(server.register(1, 1));
    }
    assertThat(kt.publish()).isEqualTo(2);
    assertThat(kt.size()).isEqualTo(before + 2);
    var vrf = kt.config().suite().vrf();
    for (TestDevice a : accounts) {
      Label label = new Label(KtLabels.account(a.accountId));
      LabelVersion stored =
          kt.query((r, log) -> log.version(label, 0)).orElseThrow(() -> new AssertionError(label));
      byte[] output =
          vrf.verify(
              kt.config().vrfPublicKey(),
              org.parley.keytrans.commit.VrfInput.of(label, 0).encode(),
              stored.vrfProof());
      assertThat(stored.searchKey())
          .isEqualTo(
              org.parley.keytrans.prefix.SearchKey.of(
                  java.util.Arrays.copyOf(output, kt.config().suite().vrfOutputLength())));
      assertThat(stored.position()).isBetween(before, before + 1);
    }
  }

  /**
   * A change committed to storage but not yet in the log when the server stops (its proof, if made,
   * was only in memory) is published by the restarted server, which first rebuilds the log.
   */
  @Test
  void aChangePendingAtARestartIsPublishedAfterIt() throws Exception {
    TestServer own =
        TestServer.start(
            c ->
                c.withKt(
                    KtSettings.defaults()
                        .withMaxBehind(Duration.ofHours(3))
                        .withEpoch(Duration.ofHours(1), Duration.ofHours(1))));
    try {
      TestDevice dave = own.register();
      own.server.keyTransparency().publish();
      own.link(dave); // pending, unpublished
      Label label = new Label(KtLabels.account(dave.accountId));
      long size = own.server.keyTransparency().size();

      own = own.restarted();
      var kt = own.server.keyTransparency();
      assertThat(kt.size()).isEqualTo(size);
      long greatest = kt.query((r, log) -> log.greatestVersion(label));
      assertThat(greatest).isZero();
      assertThat(kt.publish()).isEqualTo(1);
      LabelVersion v1 = kt.query((r, log) -> log.version(label, 1)).orElseThrow();
      assertThat(DeviceListValue.decode(v1.value().value()).entries())
          .extracting(e -> e.deviceId().value())
          .containsExactly(1, 2);
      assertThat(v1.position()).isEqualTo(size);
    } finally {
      own.close();
    }
  }

  private static HttpResponse<byte[]> binaryBytes(String path, byte[] body, Credentials credentials)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/octet-stream")
            .header("Authorization", credentials.authorizationHeader())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpResponse<String> binary(String path, byte[] body, Credentials credentials)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(server.uri(path))
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (credentials != null) {
      request.header("Authorization", credentials.authorizationHeader());
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
