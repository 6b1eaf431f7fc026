package org.parley.keytrans.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.MalformedEncodingException;

/**
 * The fuzz harness's positive control, in the normal suite (it takes milliseconds): an undeclared
 * exception, a wrong acceptance and a refused honest input are all reported, the first with its
 * input minimised.
 */
class FuzzRunnerTest {
  private static final byte[] SEED = {1, 2, 3, 4};

  /**
   * Accepts its seed; otherwise refuses, except that {@code planted} breaks on inputs holding 0x42
   * and {@code judged} accepts those holding 0x43, which its judge calls wrong. {@code stubborn}
   * refuses even the seed.
   */
  private static Target planted(String name) {
    List<CorpusTarget.Seed> seeds = List.of(new CorpusTarget.Seed(null, SEED));
    return new CorpusTarget(name, 5_000, seeds, true) {
      @Override
      Object run(Object context, byte[] bytes) throws Exception {
        if (Arrays.equals(bytes, SEED) && !name.equals("stubborn")) {
          return "honest";
        }
        for (byte b : bytes) {
          if (b == 0x42 && name.equals("planted")) {
            throw new IllegalStateException("planted");
          }
          if (b == 0x43 && name.equals("judged")) {
            return "accepted";
          }
        }
        throw new MalformedEncodingException("refused");
      }

      @Override
      boolean refusal(Throwable t) {
        return t instanceof MalformedEncodingException;
      }

      @Override
      String judge(Object context, byte[] bytes, Object result) {
        return result.equals("honest") ? null : "planted acceptance";
      }
    };
  }

  @Test
  void undeclaredExceptionsWrongAcceptancesAndRefusedHonestInputsAreFailures() throws Exception {
    FuzzRunner runner = new FuzzRunner();
    assertThat(
            runner.run(
                List.of(planted("planted"), planted("judged"), planted("stubborn")),
                1,
                new PrintWriter(new StringWriter())))
        .isTrue();
    assertThat(runner.failures.values())
        .extracting(f -> f.target + ": " + f.signature)
        .containsExactly(
            "planted: java.lang.IllegalStateException",
            "judged: accepted with another meaning: planted acceptance",
            "stubborn: honest input refused: MalformedEncodingException");
    assertThat(runner.failures.values().iterator().next().input).containsExactly(0x42);
    assertThat(runner.stats).allSatisfy(s -> assertThat(s.cases).isEqualTo(5_000 + 8));
  }
}
