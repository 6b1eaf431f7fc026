package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.user.UserVerifier;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.HandleValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.server.kt.KtEarlyProof;
import org.parley.server.kt.KtService;
import org.parley.server.kt.KtSettings;
import org.parley.server.kt.KtStore;

/**
 * Proofs made when a change is recorded (docs/architecture.md, "Proofs made at change time"): the
 * publisher takes back those that are the log's own for the version it publishes and proves the
 * rest itself, so that a log published from early proofs, and one whose early proofs were missing,
 * made for another version or altered, verify alike for a first-time user. Epochs are an hour long:
 * the test publishes by hand.
 */
class EarlyProofsIT {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
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
  void logsFromEarlyProofsAndFromMissingWrongOrAlteredOnesVerify() throws Exception {
    KtService kt = server.server.keyTransparency();
    KtStore store = server.server.store().kt();
    TestDevice folded = server.register();
    kt.publish();
    TestDevice early = server.register();
    TestDevice wrong = server.register();
    TestDevice altered = server.register();
    // a link approved by device 1, which is removed before the epoch: the epoch adds an
    // intermediate version (1) and the final one (2), and the changes proved only version 1
    TestDevice folded2 = server.link(folded);
    assertThat(server.delete("/v1/devices/1", folded2.credentials()).status()).isEqualTo(204);
    Label foldedLabel = accountLabel(folded);
    for (TestDevice d : List.of(early, wrong, altered)) {
      awaitEarlyProof(store, accountLabel(d), 0);
      awaitEarlyProof(store, handleLabel(d), 0);
    }
    awaitEarlyProof(store, foldedLabel, 1);

    Label wrongLabel = accountLabel(wrong);
    byte[] otherVersion = kt.query((r, log) -> log.seal(log.proveVersion(wrongLabel, 5)));
    store.saveEarlyProofs(
        List.of(new KtEarlyProof(wrong.accountId, wrongLabel.bytes(), 0, otherVersion)));
    Label alteredLabel = accountLabel(altered);
    byte[] sealed = earlyProof(store, alteredLabel, 0).orElseThrow().sealed();
    sealed[sealed.length - 1] ^= 1;
    store.saveEarlyProofs(
        List.of(new KtEarlyProof(altered.accountId, alteredLabel.bytes(), 0, sealed)));

    long provenBefore = kt.provenAtPublish();
    assertThat(kt.publish()).isEqualTo(1);

    // wrong's and altered's version 0 and folded's version 2; the five others came early
    assertThat(kt.provenAtPublish() - provenBefore).isEqualTo(3);
    for (TestDevice d : List.of(early, wrong, altered)) {
      assertThat(searchVerified(kt, accountLabel(d)).version()).isZero();
      UserVerifier.SearchResult handle = searchVerified(kt, handleLabel(d));
      assertThat(HandleValue.decode(handle.value().value()).accountId()).isEqualTo(d.accountId);
    }
    UserVerifier.SearchResult latest = searchVerified(kt, foldedLabel);
    assertThat(latest.version()).isEqualTo(2);
    assertThat(DeviceListValue.decode(latest.value().value()).entries())
        .extracting(e -> e.deviceId().value())
        .containsExactly(2);
    // published versions' early proofs are gone
    for (TestDevice d : List.of(early, wrong, altered)) {
      assertThat(earlyProof(store, accountLabel(d), 0)).isEmpty();
    }
    assertThat(earlyProof(store, foldedLabel, 1)).isEmpty();
  }

  private static Label accountLabel(TestDevice d) {
    return new Label(KtLabels.account(d.accountId));
  }

  private static Label handleLabel(TestDevice d) {
    return new Label(KtLabels.handle(d.handle));
  }

  /** A first-time user's greatest-version search, through the wire encoding, fully verified. */
  private static UserVerifier.SearchResult searchVerified(KtService kt, Label label)
      throws Exception {
    SearchRequest request = new SearchRequest(OptionalLong.empty(), label, OptionalLong.empty());
    var config = kt.config();
    byte[] encoded = kt.query((r, log) -> r.search(request).encode(config));
    return new UserVerifier(config)
        .verifySearch(
            null,
            request,
            SearchResponse.decode(encoded, config, request),
            System.currentTimeMillis());
  }

  private static java.util.Optional<KtEarlyProof> earlyProof(
      KtStore store, Label label, long version) {
    return store.earlyProofs(Integer.MAX_VALUE).stream()
        .filter(p -> java.util.Arrays.equals(p.label(), label.bytes()) && p.version() == version)
        .findFirst();
  }

  private static void awaitEarlyProof(KtStore store, Label label, long version)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (earlyProof(store, label, version).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no early proof of version " + version + " within " + DEADLINE);
      }
      Thread.sleep(20);
    }
  }
}
