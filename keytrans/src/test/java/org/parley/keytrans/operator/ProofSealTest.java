package org.parley.keytrans.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;

/** A sealed proof opens only for its own label, version and log, and only unaltered. */
class ProofSealTest {
  private static final Label ALICE = new Label("alice".getBytes(StandardCharsets.UTF_8));
  private static final Label BOB = new Label("bob".getBytes(StandardCharsets.UTF_8));

  @Test
  void aSealOpensToTheSameProofForItsLabelAndVersion() {
    TransparencyLog log = ProvenLabelVersionTest.newLog();
    ProvenLabelVersion proven = log.proveVersion(ALICE, 3);
    ProvenLabelVersion opened = log.unseal(ALICE, 3, log.seal(proven)).orElseThrow();
    assertThat(opened.vrfProof()).isEqualTo(proven.vrfProof());
    assertThat(opened.searchKey()).isEqualTo(proven.searchKey());
    assertThat(opened.vrfProof()).isEqualTo(log.vrfProof(ALICE, 3));
  }

  @Test
  void aSealDoesNotOpenForAnotherLabelVersionOrLog() {
    TransparencyLog log = ProvenLabelVersionTest.newLog();
    byte[] sealed = log.seal(log.proveVersion(ALICE, 3));
    assertThat(log.unseal(ALICE, 2, sealed)).isEmpty();
    assertThat(log.unseal(BOB, 3, sealed)).isEmpty();
    assertThat(ProvenLabelVersionTest.newLog().unseal(ALICE, 3, sealed)).isEmpty();
    assertThatThrownBy(() -> log.seal(ProvenLabelVersionTest.newLog().proveVersion(ALICE, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anAlteredOrTruncatedSealDoesNotOpen() {
    TransparencyLog log = ProvenLabelVersionTest.newLog();
    byte[] sealed = log.seal(log.proveVersion(ALICE, 0));
    for (int i = 0; i < sealed.length; i++) {
      byte[] altered = sealed.clone();
      altered[i] ^= 0x01;
      assertThat(log.unseal(ALICE, 0, altered)).as("byte %d flipped", i).isEmpty();
    }
    assertThat(log.unseal(ALICE, 0, Arrays.copyOf(sealed, sealed.length - 1))).isEmpty();
    assertThat(log.unseal(ALICE, 0, Arrays.copyOf(sealed, 64))).isEmpty();
    assertThat(log.unseal(ALICE, 0, new byte[0])).isEmpty();
    assertThat(log.unseal(ALICE, -1, sealed)).isEmpty();
  }
}
