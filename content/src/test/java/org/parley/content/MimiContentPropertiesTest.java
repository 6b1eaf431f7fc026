package org.parley.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class MimiContentPropertiesTest {

  @Property(tries = 300)
  void everyValidMessageRoundTrips(@ForAll("contents") MimiContent content) throws Exception {
    byte[] encoded = MimiCodec.encode(content);

    MimiContent decoded = MimiCodec.decode(encoded);

    assertThat(decoded).isEqualTo(content);
    assertThat(MimiCodec.encode(decoded)).isEqualTo(encoded);
  }

  @Property(tries = 200)
  void mutatedEncodingsFailTypedOrReencodeIdentically(
      @ForAll("contents") MimiContent content, @ForAll("seeds") long seed) {
    Mutations.assertOnlyTypedFailures(MimiCodec.encode(content), new Random(seed), 20);
  }

  @Provide
  Arbitrary<MimiContent> contents() {
    return Arbitraries.randomValue(RandomContent::generate);
  }

  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }
}
