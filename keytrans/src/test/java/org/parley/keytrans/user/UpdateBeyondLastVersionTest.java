package org.parley.keytrans.user;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.combined.CombinedTreeProof;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.message.UpdateResponse;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.suite.CipherSuite;

/**
 * Seen while writing the fuzz run (the run's honest logs never reach version 2^32-1): an owner at
 * the last possible version, told of more values, used to get an IllegalArgumentException from the
 * binary ladder instead of a refusal.
 */
class UpdateBeyondLastVersionTest {

  @Test
  void valuesBeyondTheLastVersionAreRefused() {
    LogWorld world = new LogWorld(1, CipherSuite.KT_128_SHA256_Ed25519, 30, OptionalLong.empty());
    UpdateRequest request =
        new UpdateRequest(
            OptionalLong.empty(),
            LogWorld.label("bob"),
            OptionalLong.of(BinaryLadder.MAX_VERSION),
            List.of());
    UpdateResponse response =
        new UpdateResponse(
            new FullTreeHead.Updated(new TreeHead(9, new byte[64]), Optional.empty()),
            5,
            List.of(new byte[] {1}),
            List.of(Opening.of(new byte[CipherSuite.NC])),
            List.of(),
            new CombinedTreeProof(List.of(), List.of(), List.of(), new InclusionProof(List.of())));
    assertThatThrownBy(
            () ->
                world.verifier.verifyUpdate(
                    null,
                    request,
                    response,
                    OptionalLong.of(2),
                    2,
                    LogWorld.labelKeys(java.util.Map.of(), java.util.Map.of()),
                    world.clock))
        .isInstanceOf(VerificationException.class);
  }
}
