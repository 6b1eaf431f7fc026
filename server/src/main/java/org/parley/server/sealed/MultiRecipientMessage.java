package org.parley.server.sealed;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * libsignal's multi-recipient sealed-sender upload (sealed sender v2, "SentMessage"; docs/spec
 * sealed-sender.md, "The multi-recipient upload"), read by the server to fan it out: the recipients
 * with their devices and per-recipient key material, and the payload they share. The server cannot
 * read anything else of it; what it checks is the framing.
 *
 * <pre>
 * u8 version (0x23) | varint count
 * | count * ( service-id[17] (0x00 ACI, then the UUID's 16 bytes)
 *             ( device-id u8 (1..127) | u16 big-endian (more &lt;&lt; 15 | registration-id) )+
 *             c[32] at[16] )
 * | e[32] | ciphertext (the rest)
 * </pre>
 *
 * What each recipient gets is {@code 0x22 || c || at || e || ciphertext}: the same bytes for every
 * device of a service id, which is why Parley lists each device under a service id of its own.
 */
public final class MultiRecipientMessage {
  /** The one version Parley uploads: service-id recipients. */
  public static final int VERSION = 0x23;

  /** The version byte of the message each recipient receives. */
  public static final int RECEIVED_VERSION = 0x22;

  static final int SERVICE_ID = 17;
  static final int KEYS = 32 + 16;
  static final int EPHEMERAL = 32;

  /** One device an upload names. */
  public record Device(int deviceId, int registrationId) {}

  /** One recipient: its service id, its devices and where its key material is. */
  public record Recipient(UUID serviceId, List<Device> devices, int keyOffset) {
    public Recipient {
      devices = List.copyOf(devices);
    }
  }

  private final byte[] bytes;
  private final List<Recipient> recipients;
  private final int sharedOffset;

  private MultiRecipientMessage(byte[] bytes, List<Recipient> recipients, int sharedOffset) {
    this.bytes = bytes;
    this.recipients = recipients;
    this.sharedOffset = sharedOffset;
  }

  /**
   * Reads an upload.
   *
   * @param maxRecipients the most recipients it may name
   * @throws IllegalArgumentException naming what is wrong, if it is not such an upload
   */
  public static MultiRecipientMessage parse(byte[] bytes, int maxRecipients) {
    Objects.requireNonNull(bytes, "bytes");
    ByteBuffer in = ByteBuffer.wrap(bytes);
    if (!in.hasRemaining() || (in.get() & 0xff) != VERSION) {
      throw new IllegalArgumentException(
          "the upload is not a multi-recipient sealed message of version 0x23");
    }
    long count = varint(in);
    if (count < 1 || count > maxRecipients) {
      throw new IllegalArgumentException(
          "the upload names " + count + " recipients; 1.." + maxRecipients + " are allowed");
    }
    List<Recipient> recipients = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      need(in, SERVICE_ID, "recipient " + i);
      if (in.get() != 0) {
        throw new IllegalArgumentException("recipient " + i + " is not an ACI service id");
      }
      UUID id = new UUID(in.getLong(), in.getLong());
      List<Device> devices = new ArrayList<>(2);
      boolean more = true;
      while (more) {
        need(in, 1, "recipient " + i);
        int device = in.get() & 0xff;
        if (device == 0) {
          throw new IllegalArgumentException(
              "recipient " + i + " is an excluded recipient, which Parley does not use");
        }
        if (device > 127) {
          throw new IllegalArgumentException("recipient " + i + " names device " + device);
        }
        need(in, 2, "recipient " + i);
        int word = in.getShort() & 0xffff;
        more = (word & 0x8000) != 0;
        devices.add(new Device(device, word & 0x3fff));
        if (devices.size() > 127) {
          throw new IllegalArgumentException("recipient " + i + " names more than 127 devices");
        }
      }
      need(in, KEYS, "recipient " + i);
      recipients.add(new Recipient(id, devices, in.position()));
      in.position(in.position() + KEYS);
    }
    int shared = in.position();
    need(in, EPHEMERAL + 17, "the shared payload"); // the key, a tag and at least a byte
    return new MultiRecipientMessage(bytes, List.copyOf(recipients), shared);
  }

  public List<Recipient> recipients() {
    return recipients;
  }

  /** Bytes in the part every recipient shares (the ephemeral key and the ciphertext). */
  public int sharedLength() {
    return bytes.length - sharedOffset;
  }

  /** The part every recipient shares, {@code e || ciphertext}: a copy. */
  public byte[] sharedPart() {
    return Arrays.copyOfRange(bytes, sharedOffset, bytes.length);
  }

  /**
   * What {@code recipient} receives, {@code 0x22 || c || at || e || ciphertext}, its shared part
   * taken from {@code shared}, which must be {@link #sharedPart()} (taken once for all recipients).
   */
  public byte[] messageFor(Recipient recipient, byte[] shared) {
    if (shared.length != sharedLength()) {
      throw new IllegalArgumentException("not this upload's shared part");
    }
    byte[] out = new byte[1 + KEYS + shared.length];
    out[0] = (byte) RECEIVED_VERSION;
    System.arraycopy(bytes, recipient.keyOffset(), out, 1, KEYS);
    System.arraycopy(shared, 0, out, 1 + KEYS, shared.length);
    return out;
  }

  private static long varint(ByteBuffer in) {
    long value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      need(in, 1, "the recipient count");
      int b = in.get() & 0xff;
      value |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw new IllegalArgumentException("the recipient count is too long a varint");
  }

  private static void need(ByteBuffer in, int n, String what) {
    if (in.remaining() < n) {
      throw new IllegalArgumentException("the upload ends inside " + what);
    }
  }
}
