package org.parley.keytrans.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * Entries staged in a row and committed afterwards make the same log as entries staged and
 * committed one at a time: what lets the server store a whole epoch in one transaction.
 */
class StagingTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final CipherSuite SUITE = CipherSuite.defaultSuite();
  private static final Label ALICE = new Label("alice".getBytes(StandardCharsets.UTF_8));
  private static final Label BOB = new Label("bob".getBytes(StandardCharsets.UTF_8));

  /** Two logs with the same keys. */
  private static TransparencyLog[] twins() {
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
    return new TransparencyLog[] {
      new TransparencyLog(config, signing, vrf), new TransparencyLog(config, signing, vrf)
    };
  }

  private static UpdateValue value(int b) {
    return UpdateValue.of(new byte[] {(byte) b});
  }

  @Test
  void entriesStagedInARowThenCommittedMakeTheLogOfOneAtATime() throws Exception {
    TransparencyLog[] logs = twins();
    TransparencyLog inRow = logs[0];
    TransparencyLog oneByOne = logs[1];
    for (TransparencyLog log : logs) { // a log that already has entries
      log.appendEpoch(1_000, List.of(), true);
    }
    // the same openings in both logs: prepared once
    List<List<PreparedVersion>> entries =
        List.of(
            List.of(inRow.prepare(ALICE, 0, value(1), RANDOM)),
            List.of(
                inRow.prepare(ALICE, 1, value(2), RANDOM), inRow.prepare(BOB, 0, value(3), RANDOM)),
            List.of(),
            List.of(inRow.prepare(BOB, 1, value(4), RANDOM)));
    long[] timestamps = {2_000, 2_000, 3_000, 4_000};

    TransparencyLog.Staging staging = inRow.staging();
    for (int i = 0; i < entries.size(); i++) {
      staging.stage(timestamps[i], entries.get(i), true);
    }
    assertThat(inRow.size()).isEqualTo(1); // nothing committed yet
    assertThat(inRow.greatestVersion(ALICE)).isEqualTo(-1);
    List<TransparencyLog.StagedEpoch> staged = staging.epochs();
    staged.forEach(inRow::commit);
    for (int i = 0; i < entries.size(); i++) {
      TransparencyLog.StagedEpoch one = oneByOne.stage(timestamps[i], entries.get(i), true);
      assertThat(one.position()).isEqualTo(staged.get(i).position());
      assertThat(one.tree().root()).isEqualTo(staged.get(i).tree().root());
      assertThat(one.logRoot()).isEqualTo(staged.get(i).logRoot());
      oneByOne.commit(one);
    }
    assertThat(inRow.size()).isEqualTo(5);
    for (long size = 1; size <= 5; size++) {
      assertThat(inRow.root(size)).isEqualTo(oneByOne.root(size));
    }
    for (TransparencyLog.StagedEpoch s : staged) {
      TreeHeads.verify(inRow.config(), s.head(), inRow.root(s.position() + 1));
    }
    assertThat(inRow.greatestVersion(ALICE)).isEqualTo(1);
    assertThat(inRow.greatestVersion(BOB)).isEqualTo(1);
    assertThat(inRow.version(BOB, 1).orElseThrow().value().value()).isEqualTo(new byte[] {4});
  }

  @Test
  void aStagedEntrySeesTheEntriesStagedBeforeIt() {
    TransparencyLog log = twins()[0];
    TransparencyLog.Staging staging = log.staging();
    PreparedVersion alice0 = log.prepare(ALICE, 0, value(1), RANDOM);
    staging.stage(2_000, List.of(alice0), false);
    // version 0 again, and its search key again, where version 1 comes next
    assertThatThrownBy(() -> staging.stage(2_000, List.of(alice0), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("where 1 comes next");
    assertThatThrownBy(() -> staging.stage(1_999, List.of(), false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("backwards");
    assertThat(staging.epochs()).hasSize(1); // refused entries are not staged

    log.appendEpoch(2_000, List.of(), false); // the log changed by other means
    assertThatThrownBy(() -> staging.stage(3_000, List.of(), false))
        .isInstanceOf(IllegalStateException.class);
  }
}
