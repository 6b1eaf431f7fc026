package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The padding before encryption (issue 8, item 13): only bucket lengths ever leave a client. */
class PaddingTest {
  @Test
  void shortMessagesAllLookTheSame() {
    for (int length : new int[] {0, 1, 2, 50, 200, 255}) {
      assertThat(Padding.pad(new byte[length])).hasSize(256);
    }
    assertThat(Padding.bucket(256)).isGreaterThan(256);
  }

  @Test
  void theSpecExamplesHold() { // docs/spec/crypto.md, "Padding"
    assertThat(
            new int[] {
              Padding.bucket(0),
              Padding.bucket(1),
              Padding.bucket(200),
              Padding.bucket(255),
              Padding.bucket(256),
              Padding.bucket(1_000),
              Padding.bucket(5_000)
            })
        .containsExactly(256, 256, 256, 256, 512, 1_024, 5_120);
  }

  @Test
  void bucketsAreFewAndTheOverheadSmall() {
    TreeSet<Integer> buckets = new TreeSet<>();
    for (int length = 0; length < 100_000; length++) {
      int bucket = Padding.bucket(length);
      assertThat(bucket).isGreaterThan(length);
      double limit = length < 4096 ? Math.max(256, (length + 1) * 2.0) : (length + 1) * 1.125;
      assertThat((double) bucket).isLessThanOrEqualTo(limit);
      buckets.add(bucket);
    }
    // 100,000 lengths fall into a few dozen buckets, five of them up to 4 KiB
    assertThat(buckets.headSet(4097)).containsExactly(256, 512, 1024, 2048, 4096);
    assertThat(buckets.size()).isLessThan(100);
    assertThat(buckets.first()).isEqualTo(256);
  }

  @Property(tries = 300)
  void padThenUnpadIsTheIdentity(@ForAll @IntRange(min = 0, max = 70_000) int length) {
    byte[] message = new byte[length];
    new Random(length).nextBytes(message);
    byte[] padded = Padding.pad(message);
    assertThat(padded.length).isEqualTo(Padding.bucket(length));
    assertThat(Padding.unpad(padded)).isEqualTo(message);
  }

  @Test
  void anythingElseIsRefused() {
    assertThatThrownBy(() -> Padding.unpad(new byte[256]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] unpadded = "hello".getBytes();
    assertThatThrownBy(() -> Padding.unpad(unpadded)).isInstanceOf(IllegalArgumentException.class);
    byte[] wrongLength = new byte[300];
    wrongLength[10] = (byte) 0x80; // a marker, but 300 is not a bucket
    assertThatThrownBy(() -> Padding.unpad(wrongLength))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] noMarker = Padding.pad(new byte[3]);
    noMarker[3] = 1;
    assertThatThrownBy(() -> Padding.unpad(noMarker)).isInstanceOf(IllegalArgumentException.class);
  }
}
