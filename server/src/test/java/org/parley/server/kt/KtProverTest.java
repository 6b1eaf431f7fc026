package org.parley.server.kt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.operator.ProvenLabelVersion;

/**
 * The publisher never waits on the prover pool without end: a proof the pool does not make within
 * {@link KtProver#PATIENCE_SECONDS} is made on the publisher's own thread (a full CI run once saw
 * the log publish nothing for a minute).
 */
class KtProverTest {
  @Test
  void aProofThePoolNeverMakesIsMadeByTheCaller() {
    AtomicInteger inline = new AtomicInteger();
    KtProver.Pending pending =
        new KtProver.Pending(
            new CompletableFuture<>(), // the pool never gets to it
            () -> {
              inline.incrementAndGet();
              return null; // stands for the proof; its content does not matter here
            });
    ProvenLabelVersion proof = pending.join();
    assertThat(proof).isNull();
    assertThat(inline).hasValue(1);
  }

  @Test
  void aProofThePoolMadeIsTaken() {
    AtomicInteger inline = new AtomicInteger();
    KtProver.Pending pending =
        new KtProver.Pending(
            CompletableFuture.completedFuture(null),
            () -> {
              inline.incrementAndGet();
              return null;
            });
    pending.join();
    assertThat(inline).hasValue(0);
  }
}
