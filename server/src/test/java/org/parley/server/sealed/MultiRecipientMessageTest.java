package org.parley.server.sealed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The server's reading of a multi-recipient upload (docs/spec/sealed-sender.md, "The
 * multi-recipient upload"), on hand-made framing: each recipient's share is {@code 0x22 || c || at
 * || e || ciphertext}, and anything else (truncated, excluded, an unknown version, random bytes) is
 * an IllegalArgumentException naming the problem, never another exception. SealedSenderIT checks
 * the same reading against libsignal's own uploads, opened by real devices.
 */
public class MultiRecipientMessageTest {
  private static final UUID A = UUID.fromString("0f8e2b5c-9a4d-4c1e-8b7a-3d2e1f0a9b8c");
  private static final UUID B = UUID.fromString("5c1d7a2e-3b4f-4e6a-9c8d-7e6f5a4b3c2d");

  private static byte[] fill(int n, int value) {
    byte[] b = new byte[n];
    Arrays.fill(b, (byte) value);
    return b;
  }

  private static void recipient(ByteArrayOutputStream out, UUID id, int device, int reg, int key) {
    out.write(0); // ACI
    for (long half : new long[] {id.getMostSignificantBits(), id.getLeastSignificantBits()}) {
      for (int i = 7; i >= 0; i--) {
        out.write((int) (half >>> (8 * i)));
      }
    }
    out.write(device);
    out.write(reg >>> 8);
    out.write(reg);
    out.writeBytes(fill(48, key)); // c and at
  }

  /** Two recipients, each one device, then e (32 bytes of 7) and a 20-byte ciphertext of 9. */
  public static byte[] upload() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x23);
    out.write(2);
    recipient(out, A, 1, 4711, 1);
    recipient(out, B, 3, 0x3fff, 2);
    out.writeBytes(fill(32, 7));
    out.writeBytes(fill(20, 9));
    return out.toByteArray();
  }

  @Test
  void eachRecipientGetsItsKeysAndTheSharedPayload() {
    MultiRecipientMessage m = MultiRecipientMessage.parse(upload(), 10);
    assertThat(m.recipients())
        .extracting(MultiRecipientMessage.Recipient::serviceId)
        .containsExactly(A, B);
    assertThat(m.recipients().get(1).devices())
        .containsExactly(new MultiRecipientMessage.Device(3, 0x3fff));
    assertThat(m.sharedLength()).isEqualTo(52);
    byte[] share = m.messageFor(m.recipients().get(1), m.sharedPart());
    assertThat(share).hasSize(1 + 48 + 52);
    assertThat(share[0]).isEqualTo((byte) 0x22);
    assertThat(Arrays.copyOfRange(share, 1, 49)).isEqualTo(fill(48, 2));
    assertThat(Arrays.copyOfRange(share, 49, 81)).isEqualTo(fill(32, 7));
    assertThat(Arrays.copyOfRange(share, 81, share.length)).isEqualTo(fill(20, 9));
  }

  @Test
  void everyTruncationAndOtherVersionIsRefusedNamingWhy() {
    byte[] whole = upload();
    for (int n = 0; n < whole.length - 20; n++) {
      byte[] cut = Arrays.copyOf(whole, n);
      assertThatThrownBy(() -> MultiRecipientMessage.parse(cut, 10))
          .as("cut at " + n)
          .isInstanceOf(IllegalArgumentException.class);
    }
    byte[] legacy = whole.clone();
    legacy[0] = 0x22;
    assertThatThrownBy(() -> MultiRecipientMessage.parse(legacy, 10))
        .hasMessageContaining("version 0x23");
    assertThatThrownBy(() -> MultiRecipientMessage.parse(whole, 1))
        .hasMessageContaining("2 recipients");
  }

  @Test
  void anExcludedRecipientOrAPniIsRefused() {
    byte[] excluded = upload();
    excluded[2 + 17] = 0; // the first recipient's device id: the excluded marker
    assertThatThrownBy(() -> MultiRecipientMessage.parse(excluded, 10))
        .hasMessageContaining("excluded");
    byte[] pni = upload();
    pni[2] = 1;
    assertThatThrownBy(() -> MultiRecipientMessage.parse(pni, 10)).hasMessageContaining("ACI");
  }

  @Property(tries = 500)
  void randomBytesAreEitherAnUploadOrAnIllegalArgument(@ForAll @Size(max = 300) byte[] bytes) {
    byte[] input = bytes.length > 0 ? bytes : new byte[] {0x23};
    input[0] = 0x23;
    try {
      MultiRecipientMessage m = MultiRecipientMessage.parse(input, 50);
      byte[] shared = m.sharedPart();
      m.recipients().forEach(r -> m.messageFor(r, shared));
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
    }
  }
}
