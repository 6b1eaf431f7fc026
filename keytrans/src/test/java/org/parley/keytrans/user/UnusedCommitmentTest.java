package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.message.BinaryLadderStep;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.SearchResponse;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Found by the fuzz run: a ladder step may carry the commitment of a version that no lookup of the
 * search includes (a version above the target that the search path never meets). Nothing binds such
 * a commitment to the tree head, so the search result must not hand it back as one to keep.
 */
class UnusedCommitmentTest {

  @Test
  void aSearchKeepsOnlyCommitmentsALookupBound() throws Exception {
    LogWorld world = new LogWorld(5, CipherSuite.KT_128_SHA256_Ed25519, 30, OptionalLong.empty());
    for (int i = 0; i < 34; i++) {
      world.epoch(
          i % 3 == 0 ? Map.of(LogWorld.label("bob"), 1) : Map.of(LogWorld.label("carol"), 1));
    }
    HashValue forged = HashValue.of(new byte[32]);
    int accepted = 0;
    for (long target = 0; target <= world.log.greatestVersion(LogWorld.label("bob")); target++) {
      SearchRequest request =
          new SearchRequest(OptionalLong.empty(), LogWorld.label("bob"), OptionalLong.of(target));
      SearchResponse honest = world.responder.search(request);
      for (int i = 0; i < honest.binaryLadder().size(); i++) {
        if (honest.binaryLadder().get(i).commitment().isEmpty()) {
          continue;
        }
        List<BinaryLadderStep> ladder = new ArrayList<>(honest.binaryLadder());
        ladder.set(i, new BinaryLadderStep(ladder.get(i).proof(), Optional.of(forged)));
        SearchResponse tampered =
            new SearchResponse(
                honest.fullTreeHead(),
                honest.version(),
                honest.opening(),
                honest.value(),
                ladder,
                honest.search());
        try {
          UserVerifier.SearchResult result =
              world.verifier.verifySearch(
                  null,
                  request,
                  SearchResponse.decode(tampered.encode(world.config), world.config, request),
                  world.clock);
          accepted++;
          assertThat(result.commitments()).doesNotContainValue(forged);
        } catch (VerificationException refused) {
          // the commitment was used by a lookup, and the proof no longer reaches the head
        }
      }
    }
    assertThat(accepted).as("searches whose ladder carries an unused commitment").isPositive();
  }
}
