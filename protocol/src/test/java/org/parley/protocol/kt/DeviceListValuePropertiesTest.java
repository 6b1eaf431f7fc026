package org.parley.protocol.kt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue.Entry;

class DeviceListValuePropertiesTest {
  @Property(tries = 300)
  void everyValueRoundTrips(@ForAll("values") DeviceListValue value) throws Exception {
    byte[] encoded = value.encode();

    DeviceListValue decoded = DeviceListValue.decode(encoded);

    assertThat(decoded).isEqualTo(value);
    assertThat(decoded.encode()).isEqualTo(encoded);
  }

  /**
   * A changed, removed or inserted byte either fails with the checked exception or decodes to a
   * value that encodes to exactly those bytes: there is never a second encoding of a value.
   */
  @Property(tries = 300)
  void mutationsFailTypedOrAreCanonical(
      @ForAll("values") DeviceListValue value, @ForAll long seed) {
    byte[] encoded = value.encode();
    Random random = new Random(seed);
    for (int i = 0; i < 30; i++) {
      byte[] mutated = mutate(encoded, random);
      DeviceListValue decoded;
      try {
        decoded = DeviceListValue.decode(mutated);
      } catch (MalformedValueException e) {
        continue;
      }
      assertThat(decoded.encode()).isEqualTo(mutated);
    }
  }

  @Property(tries = 100)
  void everyProperPrefixIsRejected(@ForAll("values") DeviceListValue value) {
    byte[] encoded = value.encode();
    for (int length = 0; length < encoded.length; length++) {
      byte[] prefix = Arrays.copyOf(encoded, length);
      try {
        DeviceListValue.decode(prefix);
        throw new AssertionError("a prefix of " + length + " bytes decoded");
      } catch (MalformedValueException expected) {
        // as it should
      }
    }
  }

  private static byte[] mutate(byte[] bytes, Random random) {
    int at = random.nextInt(bytes.length);
    return switch (random.nextInt(4)) {
      case 0 -> {
        byte[] copy = bytes.clone();
        copy[at] ^= (byte) (1 << random.nextInt(8));
        yield copy;
      }
      case 1 -> {
        byte[] copy = bytes.clone();
        copy[at] = (byte) random.nextInt(256);
        yield copy;
      }
      case 2 -> {
        byte[] copy = new byte[bytes.length - 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        System.arraycopy(bytes, at + 1, copy, at, bytes.length - at - 1);
        yield copy;
      }
      default -> {
        byte[] copy = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, copy, 0, at);
        copy[at] = (byte) random.nextInt(256);
        System.arraycopy(bytes, at, copy, at + 1, bytes.length - at);
        yield copy;
      }
    };
  }

  @Provide
  Arbitrary<DeviceListValue> values() {
    Arbitrary<Entry> entries =
        Combinators.combine(
                Arbitraries.integers().between(1, DeviceId.MAX),
                Arbitraries.longs().between(1, LinkSerial.MAX),
                Arbitraries.bytes().array(byte[].class).ofSize(33),
                Arbitraries.longs().between(1, LinkSerial.MAX),
                Arbitraries.bytes().array(byte[].class).ofSize(64))
            .as(
                (id, serial, key, approver, signature) ->
                    new Entry(
                        DeviceId.of(id),
                        LinkSerial.of(serial),
                        key,
                        LinkSerial.of(approver),
                        signature));
    return entries
        .list()
        .ofMinSize(1)
        .ofMaxSize(DeviceId.MAX)
        .uniqueElements(Entry::deviceId)
        .uniqueElements(Entry::serial)
        .map(list -> new DeviceListValue(new ArrayList<>(list)));
  }
}
