package org.parley.protocol.kt;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.protocol.DeviceId;

/**
 * The published value of an account's label: its devices, each with its device id (a slot that a
 * removed device frees for a later one), its link serial (never reused in the account), its
 * identity key and the approval that let it in (a device of the account's signature over {@link
 * DeviceApprovalStatement}, named by the approver's serial), ordered by device id. Encoding:
 *
 * <pre>u8 format = 2 | u8 count | count * (u8 device_id | u32 serial | identity_key[33]
 *     | u32 approver_serial | signature[64])</pre>
 *
 * <p>{@link #encode} writes exactly one encoding of a value and {@link #decode} accepts nothing
 * else of format 2, so equal values have equal bytes (the log commits to the bytes). Format 1, the
 * one before device ids were reused ({@code u8 device_id | identity_key[33] | u8 approver |
 * signature[64]}), is still read, from logs written before: its ids were never reused, so each
 * entry's serial is its device id and its approver's serial the approver's id.
 */
public record DeviceListValue(List<Entry> entries) {
  /** The format {@link #encode} writes. */
  public static final int FORMAT = 2;

  /** The format before device ids were reused; read only. */
  public static final int FORMAT_1 = 1;

  public static final int IDENTITY_KEY_LENGTH = 33;
  public static final int SIGNATURE_LENGTH = 64;

  private static final int ENTRY_LENGTH = 1 + 4 + IDENTITY_KEY_LENGTH + 4 + SIGNATURE_LENGTH;
  private static final int ENTRY_1_LENGTH = 1 + IDENTITY_KEY_LENGTH + 1 + SIGNATURE_LENGTH;

  /**
   * Sorts the entries by device id.
   *
   * @throws IllegalArgumentException if there is no entry (an account keeps at least one device),
   *     or a device id or a serial appears twice
   */
  public DeviceListValue {
    Objects.requireNonNull(entries, "entries");
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.forEach(e -> Objects.requireNonNull(e, "entry"));
    sorted.sort(Comparator.comparing(Entry::deviceId));
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a device list has at least one device");
    }
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).deviceId().equals(sorted.get(i - 1).deviceId())) {
        throw new IllegalArgumentException("device " + sorted.get(i).deviceId() + " appears twice");
      }
    }
    if (sorted.stream().map(Entry::serial).distinct().count() != sorted.size()) {
      throw new IllegalArgumentException("a link serial appears twice");
    }
    entries = List.copyOf(sorted);
  }

  /** The entry of one device, if listed. */
  public Optional<Entry> entry(DeviceId deviceId) {
    return entries.stream().filter(e -> e.deviceId().equals(deviceId)).findFirst();
  }

  /** The entry of the device with this serial, if listed. */
  public Optional<Entry> bySerial(LinkSerial serial) {
    return entries.stream().filter(e -> e.serial().equals(serial)).findFirst();
  }

  /** The greatest serial listed. */
  public LinkSerial greatestSerial() {
    return entries.stream().map(Entry::serial).max(Comparator.naturalOrder()).orElseThrow();
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + entries.size() * ENTRY_LENGTH);
    out.write(FORMAT);
    out.write(entries.size());
    for (Entry e : entries) {
      out.write(e.deviceId().value());
      writeU32(out, e.serial().value());
      out.writeBytes(e.identityKey);
      writeU32(out, e.approver().value());
      out.writeBytes(e.approvalSignature);
    }
    return out.toByteArray();
  }

  private static void writeU32(ByteArrayOutputStream out, long value) {
    out.write((int) (value >>> 24) & 0xff);
    out.write((int) (value >>> 16) & 0xff);
    out.write((int) (value >>> 8) & 0xff);
    out.write((int) value & 0xff);
  }

  private static long readU32(byte[] bytes, int at) {
    return ((long) Byte.toUnsignedInt(bytes[at]) << 24)
        | (Byte.toUnsignedInt(bytes[at + 1]) << 16)
        | (Byte.toUnsignedInt(bytes[at + 2]) << 8)
        | Byte.toUnsignedInt(bytes[at + 3]);
  }

  /**
   * Accepts exactly the bytes {@link #encode} writes for some value; nothing more, nothing less.
   */
  public static DeviceListValue decode(byte[] bytes) throws MalformedValueException {
    if (bytes == null || bytes.length < 2) {
      throw new MalformedValueException("truncated: no format and count");
    }
    int format = Byte.toUnsignedInt(bytes[0]);
    if (format != FORMAT && format != FORMAT_1) {
      throw new MalformedValueException("unknown format " + format);
    }
    boolean serials = format == FORMAT;
    int count = Byte.toUnsignedInt(bytes[1]);
    if (count == 0) {
      throw new MalformedValueException("no devices");
    }
    int expected = 2 + count * (serials ? ENTRY_LENGTH : ENTRY_1_LENGTH);
    if (bytes.length < expected) {
      throw new MalformedValueException(
          "truncated: " + count + " devices take " + expected + " bytes, got " + bytes.length);
    }
    if (bytes.length > expected) {
      throw new MalformedValueException(
          (bytes.length - expected) + " trailing bytes after " + count + " devices");
    }
    List<Entry> entries = new ArrayList<>(count);
    int at = 2;
    int previous = 0;
    for (int i = 0; i < count; i++) {
      int id = Byte.toUnsignedInt(bytes[at]);
      DeviceId deviceId = deviceId(id, "device id");
      if (id == previous) {
        throw new MalformedValueException("device " + id + " appears twice");
      }
      if (id < previous) {
        throw new MalformedValueException(
            "device " + id + " after device " + previous + ": not sorted");
      }
      previous = id;
      at += 1;
      LinkSerial serial;
      if (serials) {
        serial = serial(readU32(bytes, at), "serial of device " + id);
        at += 4;
      } else {
        serial = LinkSerial.of(id);
      }
      byte[] key = Arrays.copyOfRange(bytes, at, at + IDENTITY_KEY_LENGTH);
      at += IDENTITY_KEY_LENGTH;
      LinkSerial approver;
      if (serials) {
        approver = serial(readU32(bytes, at), "approver serial of device " + id);
        at += 4;
      } else {
        approver =
            LinkSerial.of(
                deviceId(Byte.toUnsignedInt(bytes[at]), "approver of device " + id).value());
        at += 1;
      }
      byte[] signature = Arrays.copyOfRange(bytes, at, at + SIGNATURE_LENGTH);
      at += SIGNATURE_LENGTH;
      LinkSerial mine = serial;
      if (entries.stream().anyMatch(e -> e.serial().equals(mine))) {
        throw new MalformedValueException("serial " + serial + " appears twice");
      }
      entries.add(new Entry(deviceId, serial, key, approver, signature));
    }
    return new DeviceListValue(entries);
  }

  private static LinkSerial serial(long value, String what) throws MalformedValueException {
    if (value < 1) {
      throw new MalformedValueException(what + " is 0");
    }
    return LinkSerial.of(value);
  }

  private static DeviceId deviceId(int value, String what) throws MalformedValueException {
    if (value < 1 || value > DeviceId.MAX) {
      throw new MalformedValueException(what + " " + value + " is not in 1.." + DeviceId.MAX);
    }
    return DeviceId.of(value);
  }

  /**
   * One device: its id (slot) and link serial, its identity key, and which device of the account
   * (by serial) approved that key with which signature (serial 1 approves itself at registration).
   */
  public record Entry(
      DeviceId deviceId,
      LinkSerial serial,
      byte[] identityKey,
      LinkSerial approver,
      byte[] approvalSignature) {
    public Entry {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(serial, "serial");
      Objects.requireNonNull(approver, "approver");
      identityKey = exactly(identityKey, IDENTITY_KEY_LENGTH, "identity key");
      approvalSignature = exactly(approvalSignature, SIGNATURE_LENGTH, "approval signature");
    }

    /**
     * An entry as format 1 stated it, before device ids were reused: its serial is its device id,
     * its approver's serial the approver's device id.
     */
    public Entry(
        DeviceId deviceId, byte[] identityKey, DeviceId approver, byte[] approvalSignature) {
      this(
          deviceId,
          LinkSerial.of(deviceId.value()),
          identityKey,
          LinkSerial.of(approver.value()),
          approvalSignature);
    }

    @Override
    public byte[] identityKey() {
      return identityKey.clone();
    }

    @Override
    public byte[] approvalSignature() {
      return approvalSignature.clone();
    }

    /** True if both entries list the same key (the approvals may differ). */
    public boolean sameKey(Entry other) {
      return Arrays.equals(identityKey, other.identityKey);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry other
          && deviceId.equals(other.deviceId)
          && serial.equals(other.serial)
          && approver.equals(other.approver)
          && Arrays.equals(identityKey, other.identityKey)
          && Arrays.equals(approvalSignature, other.approvalSignature);
    }

    @Override
    public int hashCode() {
      return Objects.hash(
          deviceId,
          serial,
          approver,
          Arrays.hashCode(identityKey),
          Arrays.hashCode(approvalSignature));
    }

    @Override
    public String toString() {
      return "Entry[device "
          + deviceId
          + " (serial "
          + serial
          + "), key "
          + HexFormat.of().formatHex(identityKey, 0, 8)
          + "..., approved by serial "
          + approver
          + "]";
    }

    private static byte[] exactly(byte[] bytes, int length, String what) {
      if (bytes == null || bytes.length != length) {
        throw new IllegalArgumentException("an " + what + " is " + length + " bytes");
      }
      return bytes.clone();
    }
  }
}
