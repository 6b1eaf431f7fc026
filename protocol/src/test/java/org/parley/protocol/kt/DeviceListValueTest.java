package org.parley.protocol.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue.Entry;

class DeviceListValueTest {
  static Entry entry(int id, int keyByte, int approver, int signatureByte) {
    byte[] key = new byte[33];
    Arrays.fill(key, (byte) keyByte);
    key[0] = 0x05;
    byte[] signature = new byte[64];
    Arrays.fill(signature, (byte) signatureByte);
    return new Entry(DeviceId.of(id), key, DeviceId.of(approver), signature);
  }

  static Entry entry(int id, long serial, int keyByte, long approver, int signatureByte) {
    Entry e = entry(id, keyByte, 1, signatureByte);
    return new Entry(
        e.deviceId(),
        LinkSerial.of(serial),
        e.identityKey(),
        LinkSerial.of(approver),
        e.approvalSignature());
  }

  @Test
  void encodingIsTheDocumentedLayout() throws Exception {
    // device 3 is a reused slot: its serial (0x01020304) is not its id
    DeviceListValue value =
        new DeviceListValue(
            List.of(entry(1, 1, 0x11, 1, 0xa1), entry(3, 0x01020304L, 0x33, 1, 0xa3)));
    byte[] encoded = value.encode();

    String hex = HexFormat.of().formatHex(encoded);
    assertThat(encoded).hasSize(2 + 2 * 106);
    assertThat(hex)
        .startsWith(
            "0202" + "01" + "00000001" + "05" + "11".repeat(32) + "00000001" + "a1".repeat(64))
        .endsWith("03" + "01020304" + "05" + "33".repeat(32) + "00000001" + "a3".repeat(64));
    assertThat(DeviceListValue.decode(encoded)).isEqualTo(value);
  }

  @Test
  void format1IsReadWithEachIdAsItsSerial() throws Exception {
    String format1 =
        "0102"
            + "01"
            + "05"
            + "11".repeat(32)
            + "01"
            + "a1".repeat(64)
            + "03"
            + "05"
            + "33".repeat(32)
            + "01"
            + "a3".repeat(64);

    DeviceListValue read = DeviceListValue.decode(HexFormat.of().parseHex(format1));

    assertThat(read)
        .isEqualTo(new DeviceListValue(List.of(entry(1, 0x11, 1, 0xa1), entry(3, 0x33, 1, 0xa3))));
    assertThat(read.entry(DeviceId.of(3)).orElseThrow().serial()).isEqualTo(LinkSerial.of(3));
    assertThat(read.bySerial(LinkSerial.of(3))).isEqualTo(read.entry(DeviceId.of(3)));
    assertThat(read.encode()[0]).isEqualTo((byte) 2); // written as format 2 from now on
  }

  @Test
  void serialsAreUniqueWithinAList() {
    assertThatThrownBy(
            () -> new DeviceListValue(List.of(entry(1, 1, 1, 1, 1), entry(2, 1, 2, 1, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("serial");
    byte[] good = new DeviceListValue(List.of(entry(1, 1, 1, 1, 1), entry(2, 2, 2, 1, 2))).encode();
    assertRejected(with(good, 2 + 106 + 4, 1), "serial 1 appears twice");
    assertRejected(with(good, 2 + 4, 0), "serial of device 1 is 0");
    byte[] zeroApprover = good.clone();
    Arrays.fill(zeroApprover, 2 + 1 + 4 + 33, 2 + 1 + 4 + 33 + 4, (byte) 0);
    assertRejected(zeroApprover, "approver serial of device 1 is 0");
  }

  @Test
  void entriesAreSortedByDeviceIdAndIdsAreUnique() {
    DeviceListValue value =
        new DeviceListValue(List.of(entry(5, 5, 1, 5), entry(1, 1, 1, 1), entry(2, 2, 1, 2)));
    assertThat(value.entries()).extracting(e -> e.deviceId().value()).containsExactly(1, 2, 5);
    assertThat(value.entry(DeviceId.of(2))).contains(entry(2, 2, 1, 2));
    assertThat(value.entry(DeviceId.of(3))).isEmpty();

    assertThatThrownBy(() -> new DeviceListValue(List.of(entry(2, 2, 1, 2), entry(2, 3, 1, 3))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> new DeviceListValue(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void entriesCheckLengthsAndCopyTheirBytes() {
    assertThatThrownBy(() -> new Entry(DeviceId.of(1), new byte[32], DeviceId.of(1), new byte[64]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("identity key");
    assertThatThrownBy(() -> new Entry(DeviceId.of(1), new byte[33], DeviceId.of(1), new byte[65]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature");

    byte[] key = new byte[33];
    Entry e = new Entry(DeviceId.of(1), key, DeviceId.of(1), new byte[64]);
    key[0] = 9;
    e.identityKey()[1] = 9;
    assertThat(e.identityKey()).containsOnly(0);
  }

  @Test
  void decodingNamesTheProblem() {
    byte[] good = new DeviceListValue(List.of(entry(1, 1, 1, 1), entry(2, 2, 1, 2))).encode();

    assertRejected(null, "truncated");
    assertRejected(new byte[0], "truncated");
    assertRejected(new byte[] {1}, "truncated");
    assertRejected(with(good, 0, 3), "unknown format 3");
    assertRejected(with(good, 0, 0), "unknown format 0");
    assertRejected(with(good, 0, 1), "trailing bytes"); // format 1 entries are shorter
    assertRejected(new byte[] {1, 0}, "no devices");
    assertRejected(Arrays.copyOf(good, good.length - 1), "truncated");
    assertRejected(with(good, 1, 3), "truncated");
    assertRejected(Arrays.copyOf(good, good.length + 1), "1 trailing bytes");
    assertRejected(with(good, 1, 1), "trailing");
    assertRejected(with(good, 2, 0), "device id 0 is not in 1..127");
    assertRejected(with(good, 2, 128), "device id 128");
    assertRejected(with(good, 2 + 106, 1), "device 1 appears twice");
    assertRejected(with(good, 2, 3), "device 2 after device 3: not sorted");
  }

  @Test
  void everyTruncationIsRejected() {
    byte[] good = new DeviceListValue(List.of(entry(1, 1, 1, 1), entry(7, 7, 1, 7))).encode();
    for (int length = 0; length < good.length; length++) {
      byte[] prefix = Arrays.copyOf(good, length);
      assertThatThrownBy(() -> DeviceListValue.decode(prefix))
          .as("prefix of %d bytes", length)
          .isInstanceOf(MalformedValueException.class);
    }
  }

  private static byte[] with(byte[] bytes, int at, int value) {
    byte[] copy = bytes.clone();
    copy[at] = (byte) value;
    return copy;
  }

  private static void assertRejected(byte[] bytes, String message) {
    assertThatThrownBy(() -> DeviceListValue.decode(bytes))
        .isInstanceOf(MalformedValueException.class)
        .hasMessageContaining(message);
  }
}
