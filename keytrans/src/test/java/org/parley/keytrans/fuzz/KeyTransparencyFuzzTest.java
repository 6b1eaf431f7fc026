package org.parley.keytrans.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.suite.CipherSuite;

/**
 * The bounded fuzz run of the key-transparency decoders and verifiers (docs/security.md). Tagged
 * {@code fuzz}, so the normal build skips it; run it with {@code ./mvnw -pl keytrans test -Pfuzz}.
 * {@code -Dfuzz.seed=N} picks the seed (the default is fixed, so a run is reproducible) and {@code
 * -Dfuzz.scale=X} multiplies every target's case count. The report is printed and written to {@code
 * keytrans/target/fuzz-report.txt}.
 */
@Tag("fuzz")
class KeyTransparencyFuzzTest {
  static final long DEFAULT_SEED = 20_261_128L;

  @Test
  void decodersAndVerifiersAnswerOnlyWithResultsOrTheirDeclaredRefusals() throws Exception {
    long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    double scale = Double.parseDouble(System.getProperty("fuzz.scale", "1"));
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    out.printf(
        "key-transparency fuzz run: seed %d, scale %s, started %s, Java %s, %d cpus%n",
        seed, scale, Instant.now(), Runtime.version(), Runtime.getRuntime().availableProcessors());
    long start = System.nanoTime();

    List<HonestWorld> worlds = new ArrayList<>();
    long[] windows = {0, 10, 40, 200};
    for (int i = 0; i < 12; i++) {
      CipherSuite suite =
          i % 2 == 0 ? CipherSuite.KT_128_SHA256_Ed25519 : CipherSuite.KT_128_SHA256_P256;
      long window = windows[(i / 2) % 4];
      OptionalLong lifetime = i % 3 == 0 ? OptionalLong.of(window * 4 + 50) : OptionalLong.empty();
      worlds.add(new HonestWorld(seed + i, suite, window, lifetime).run(50));
    }
    out.printf(
        "honest worlds: %d scenarios, %.1f s%n",
        worlds.stream().mapToInt(w -> w.scenarios.size()).sum(), (System.nanoTime() - start) / 1e9);

    List<Target> targets = new ArrayList<>();
    // Decoders cost microseconds a case, verifiers milliseconds (VRF proofs, signatures): these
    // counts (plus each decoder's systematic pass) make 2.66 million cases in about 5 minutes.
    targets.addAll(DecoderTargets.all(worlds, cases(60_000, scale)));
    targets.add(ProofTargets.prefix(ProofTargets.prefixWorlds(seed, 72), cases(200_000, scale)));
    targets.add(ProofTargets.log(ProofTargets.treeScopes(seed, 24, 10), cases(200_000, scale)));
    targets.add(VrfTarget.target(VrfTarget.triples(seed, 4, 8), cases(60_000, scale)));
    targets.addAll(VerifierTargets.all(worlds, cases(80_000, scale)));

    FuzzRunner runner = new FuzzRunner();
    boolean finished = runner.run(targets, seed, out);
    String report = runner.report(seed, (System.nanoTime() - start) / 1e9);
    out.println(report);
    Path file = Path.of("target", "fuzz-report.txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, report);
    assertThat(finished).as("a case hung; see the report").isTrue();
    assertThat(runner.failures).as(report).isEmpty();
  }

  private static int cases(int base, double scale) {
    return (int) Math.max(1, Math.round(base * scale));
  }
}
