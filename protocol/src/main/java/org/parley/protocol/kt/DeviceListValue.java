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
 * The published value of an account's label: its devices, each with its identity key and the
 * approval that let it in (a device of the account's signature over {@link
 * DeviceApprovalStatement}), ordered by device id. Canonical encoding:
 *
 * <pre>u8 format = 1 | u8 count | count * (u8 device_id | identity_key[33] | u8 approver | signature[64])</pre>
 *
 * <p>There is exactly one encoding of a value, and {@link #decode} accepts nothing else, so equal
 * values have equal bytes (the log commits to the bytes).
 */
public record DeviceListValue(List<Entry> entries) {
  /** The only format so far. */
  public static final int FORMAT = 1;

  public static final int IDENTITY_KEY_LENGTH = 33;
  public static final int SIGNATURE_LENGTH = 64;

  private static final int ENTRY_LENGTH = 1 + IDENTITY_KEY_LENGTH + 1 + SIGNATURE_LENGTH;

  /**
   * Sorts the entries by device id.
   *
   * @throws IllegalArgumentException if there is no entry (an account keeps at least one device)
   *     or a device id appears twice
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
    entries = List.copyOf(sorted);
  }

  /** The entry of one device, if listed. */
  public Optional<Entry> entry(DeviceId deviceId) {
    return entries.stream().filter(e -> e.deviceId().equals(deviceId)).findFirst();
  }

  public byte[] encode() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(2 + entries.size() * ENTRY_LENGTH);
    out.write(FORMAT);
    out.write(entries.size());
    for (Entry e : entries) {
      out.write(e.deviceId().value());
      out.writeBytes(e.identityKey);
      out.write(e.approver().value());
      out.writeBytes(e.approvalSignature);
    }
    return out.toByteArray();
  }

  /** Accepts exactly the bytes {@link #encode} writes for some value; nothing more, nothing less. */
  public static DeviceListValue decode(byte[] bytes) throws MalformedValueException {
    if (bytes == null || bytes.length < 2) {
      throw new MalformedValueException("truncated: no format and count");
    }
    if (Byte.toUnsignedInt(bytes[0]) != FORMAT) {
      throw new MalformedValueException("unknown format " + Byte.toUnsignedInt(bytes[0]));
    }
    int count = Byte.toUnsignedInt(bytes[1]);
    if (count == 0) {
      throw new MalformedValueException("no devices");
    }
    int expected = 2 + count * ENTRY_LENGTH;
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
        throw new MalformedValueException("device " + id + " after device " + previous + ": not sorted");
      }
      previous = id;
      byte[] key = Arrays.copyOfRange(bytes, at + 1, at + 1 + IDENTITY_KEY_LENGTH);
      at += 1 + IDENTITY_KEY_LENGTH;
      DeviceId approver = deviceId(Byte.toUnsignedInt(bytes[at]), "approver of device " + id);
      byte[] signature = Arrays.copyOfRange(bytes, at + 1, at + 1 + SIGNATURE_LENGTH);
      at += 1 + SIGNATURE_LENGTH;
      entries.add(new Entry(deviceId, key, approver, signature));
    }
    return new DeviceListValue(entries);
  }

  private static DeviceId deviceId(int value, String what) throws MalformedValueException {
    if (value < 1 || value > DeviceId.MAX) {
      throw new MalformedValueException(what + " " + value + " is not in 1.." + DeviceId.MAX);
    }
    return DeviceId.of(value);
  }

  /**
   * One device: its id and identity key, and which device of the account approved that key with
   * which signature (device 1 approves itself at registration).
   */
  public record Entry(DeviceId deviceId, byte[] identityKey, DeviceId approver, byte[] approvalSignature) {
    public Entry {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(approver, "approver");
      identityKey = exactly(identityKey, IDENTITY_KEY_LENGTH, "identity key");
      approvalSignature = exactly(approvalSignature, SIGNATURE_LENGTH, "approval signature");
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
          && approver.equals(other.approver)
          && Arrays.equals(identityKey, other.identityKey)
          && Arrays.equals(approvalSignature, other.approvalSignature);
    }

    @Override
    public int hashCode() {
      return Objects.hash(deviceId, approver, Arrays.hashCode(identityKey), Arrays.hashCode(approvalSignature));
    }

    @Override
    public String toString() {
      return "Entry[device " + deviceId + ", key " + HexFormat.of().formatHex(identityKey, 0, 8)
          + "..., approved by " + approver + "]";
    }

    private static byte[] exactly(byte[] bytes, int length, String what) {
      if (bytes == null || bytes.length != length) {
        throw new IllegalArgumentException("an " + what + " is " + length + " bytes");
      }
      return bytes.clone();
    }
  }
}
