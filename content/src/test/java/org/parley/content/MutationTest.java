package org.parley.content;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class MutationTest {
  static final List<String> CONTENT = Examples.CONTENT;

  @ParameterizedTest
  @FieldSource("CONTENT")
  void everyTruncationIsRejected(String name) {
    byte[] encoded = Examples.cbor(name);
    for (int length = 0; length < encoded.length; length++) {
      byte[] truncated = Arrays.copyOf(encoded, length);
      assertThatThrownBy(() -> MimiCodec.decode(truncated))
          .isInstanceOf(ContentFormatException.class);
    }
  }

  @ParameterizedTest
  @FieldSource("CONTENT")
  void randomMutationsFailOnlyWithContentFormatException(String name) {
    // Seeded per example so a failure reproduces; 2,000 rounds keep the module under a second.
    Mutations.assertOnlyTypedFailures(Examples.cbor(name), new Random(name.hashCode()), 2_000);
  }
}
