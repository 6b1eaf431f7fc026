package org.parley.keytrans.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfSecretKey;

/** A label version proven ahead of its entry, on another thread, is what prepare would make. */
class ProvenLabelVersionTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final CipherSuite SUITE = CipherSuite.defaultSuite();

  static TransparencyLog newLog() {
    SignatureSecretKey signing = SUITE.signatureScheme().generateSecretKey(RANDOM);
    VrfSecretKey vrf = SUITE.vrf().generateSecretKey(RANDOM);
    Configuration config =
        new Configuration(
            SUITE,
            SUITE.signatureScheme().publicKey(signing),
            SUITE.vrf().publicKey(vrf),
            new ModeParameters.ContactMonitoring(),
            60_000,
            600_000,
            3_600_000,
            OptionalLong.empty());
    return new TransparencyLog(config, signing, vrf);
  }

  @Test
  void aVersionProvenOnAnotherThreadEqualsThePreparedOneAndAppends() throws Exception {
    TransparencyLog log = newLog();
    Label label = new Label("alice".getBytes(StandardCharsets.UTF_8));
    UpdateValue value = UpdateValue.of(new byte[] {1, 2, 3});
    ProvenLabelVersion proven =
        CompletableFuture.supplyAsync(() -> log.proveVersion(label, 0)).get();

    PreparedVersion ahead = log.prepare(proven, value, RANDOM);
    PreparedVersion inline = log.prepare(label, 0, value, RANDOM);

    assertThat(ahead.vrfProof().bytes()).isEqualTo(inline.vrfProof().bytes());
    assertThat(ahead.searchKey()).isEqualTo(inline.searchKey());
    assertThat(ahead.vrfProof().bytes()).isEqualTo(log.vrfProof(label, 0).bytes());
    assertThat(
            Commitments.opens(SUITE, ahead.commitment(), ahead.opening(), label, 0, ahead.value()))
        .isTrue();
    log.appendEpoch(1_000, List.of(ahead), true);
    assertThat(log.version(label, 0).orElseThrow().vrfProof().bytes())
        .isEqualTo(inline.vrfProof().bytes());
  }

  @Test
  void aLogRefusesAVersionProvenWithAnotherLogsKey() {
    TransparencyLog log = newLog();
    Label label = new Label("bob".getBytes(StandardCharsets.UTF_8));
    ProvenLabelVersion foreign = newLog().proveVersion(label, 0);
    assertThatThrownBy(() -> log.prepare(foreign, UpdateValue.of(new byte[] {1}), RANDOM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void differentVersionsHaveDifferentProofs() {
    TransparencyLog log = newLog();
    Label label = new Label("carol".getBytes(StandardCharsets.UTF_8));
    assertThat(log.proveVersion(label, 1).searchKey())
        .isNotEqualTo(log.proveVersion(label, 0).searchKey());
    assertThatThrownBy(() -> log.proveVersion(label, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
