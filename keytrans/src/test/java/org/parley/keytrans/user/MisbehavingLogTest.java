package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.message.BinaryLadderStep;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Issue 3, scenario 4, at the verifier: a log that swaps a value under an old commitment, lifts a
 * VRF proof from another label, rolls its head back, or serves a head older than the allowed lag
 * (or ahead of the clock) is refused, each at its own check; the honest response is the control.
 */
class MisbehavingLogTest {
  private LogWorld world;
  private LogWorld.Contact alice;
  private final Label bob = LogWorld.label("bob");

  @BeforeEach
  void log() throws Exception {
    world = new LogWorld(42, CipherSuite.KT_128_SHA256_Ed25519, 100, OptionalLong.empty());
    world.clock = 50_000_000; // far enough from zero for a clock that runs behind the log
    for (int i = 0; i < 20; i++) {
      world.epoch(
          i % 4 == 0
              ? Map.of(bob, 1, LogWorld.label("carol"), 1)
              : Map.of(LogWorld.label("carol"), 1));
    }
    alice = world.new Contact(bob);
    alice.search(OptionalLong.empty()); // alice retains the head of size 20
    world.epoch(Map.of(bob, 1));
  }

  private SearchRequest request() {
    return new SearchRequest(world.last(alice.head), bob, OptionalLong.empty());
  }

  private SearchResponse honest() throws Exception {
    return world.responder.search(request());
  }

  private void verify(SearchResponse response, long now) throws Exception {
    world.verifier.verifySearch(alice.head, request(), response, now);
  }

  @Test
  void theHonestResponseVerifies() throws Exception {
    verify(honest(), world.clock);
  }

  @Test
  void aValueSwappedUnderTheOldCommitmentIsRefused() throws Exception {
    SearchResponse h = honest();
    SearchResponse swapped =
        new SearchResponse(
            h.fullTreeHead(),
            h.version(),
            h.opening(),
            UpdateValue.of("bob devices with a ghost".getBytes(StandardCharsets.UTF_8)),
            h.binaryLadder(),
            h.search());
    // the commitment recomputed from opening and value is not the one in the prefix tree, so the
    // proof leads to another root, which the signed head does not sign; where the ladder's other
    // searches share a node with this one (it depends on the random tree), they disagree first
    assertThatThrownBy(() -> verify(swapped, world.clock))
        .isInstanceOf(VerificationException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage())
                    .containsAnyOf("tree head does not verify", "searches disagree"));
  }

  @Test
  void aVrfProofLiftedFromAnotherLabelIsRefused() throws Exception {
    SearchResponse h = honest();
    long version = h.version().orElseThrow();
    Label carol = LogWorld.label("carol");
    List<BinaryLadderStep> ladder = new ArrayList<>(h.binaryLadder());
    int target = org.parley.keytrans.combined.Searches.ladderVersions(version).indexOf(version);
    ladder.set(
        target,
        new BinaryLadderStep(world.log.vrfProof(carol, version), ladder.get(target).commitment()));
    SearchResponse lifted =
        new SearchResponse(
            h.fullTreeHead(), h.version(), h.opening(), h.value(), ladder, h.search());
    assertThatThrownBy(() -> verify(lifted, world.clock))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("VRF proof for version " + version + " does not verify");
  }

  @Test
  void aRolledBackHeadIsRefused() throws Exception {
    SearchResponse h = honest();
    // an older head the log really signed: size 10 after alice saw 20
    TreeHead older = TreeHeads.sign(signingKey(), world.config, 10, world.log.root(10));
    SearchResponse rolledBack =
        new SearchResponse(
            new FullTreeHead.Updated(older, java.util.Optional.empty()),
            h.version(),
            h.opening(),
            h.value(),
            h.binaryLadder(),
            h.search());
    assertThatThrownBy(() -> verify(rolledBack, world.clock))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("a rollback");
  }

  @Test
  void aHeadOlderThanTheAllowedLagOrAheadOfTheClockIsRefused() throws Exception {
    long newest = world.log.timestamp(world.log.size() - 1);
    assertThatThrownBy(() -> verify(honest(), newest + world.config.maxBehind() + 1))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("older than max_behind");
    assertThatThrownBy(() -> verify(honest(), newest - world.config.maxAhead() - 1))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("ahead of the local clock");
    verify(honest(), newest + world.config.maxBehind()); // the bound itself is allowed
  }

  private org.parley.keytrans.suite.SignatureSecretKey signingKey() {
    return world.signingKey;
  }
}
