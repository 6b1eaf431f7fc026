package org.parley.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

/** Random corruption of valid encodings: the decoder may accept or refuse, never crash. */
final class Mutations {
  private Mutations() {}

  static void assertOnlyTypedFailures(byte[] valid, Random random, int rounds) {
    for (int i = 0; i < rounds; i++) {
      byte[] mutated = mutate(valid, random);
      try {
        MimiContent decoded = MimiCodec.decode(mutated);
        // Strictness means acceptance implies the input was already the canonical encoding.
        assertThat(MimiCodec.encode(decoded))
            .as("accepted input must re-encode identically: %s", HexFormat.of().formatHex(mutated))
            .isEqualTo(mutated);
      } catch (ContentFormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
        fail("untyped failure " + e + " for input " + HexFormat.of().formatHex(mutated), e);
      }
    }
  }

  static byte[] mutate(byte[] valid, Random random) {
    byte[] b = valid.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && b.length > 0; e++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> b = Arrays.copyOf(b, at);
        case 3 -> {
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = (byte) random.nextInt(256);
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
        case 4 -> {
          byte[] shorter = new byte[b.length - 1];
          System.arraycopy(b, 0, shorter, 0, at);
          System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
          b = shorter;
        }
        default ->
            b[at] =
                (byte)
                    new int[] {0x1b, 0x5b, 0x7b, 0x9b, 0xbb, 0xff, 0x9f, 0xf6}[random.nextInt(8)];
      }
    }
    return b;
  }
}
