package org.parley.client.kt;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.DeviceListValue.Entry;
import org.parley.protocol.kt.LinkSerial;

/** A contact's checks of a proven device list (issue 7, items 3 to 5). */
class ContactCheckTest {
  private final AccountId account = AccountId.random();
  private final DeviceCrypto phone = device();
  private final DeviceCrypto laptop = device();
  private final DeviceCrypto tablet = device();
  private final DeviceCrypto server = device();

  private final Entry phone1 = approved(1, phone, 1, phone);
  private final Entry laptop2 = approved(2, laptop, 1, phone);
  private final Entry tablet3 = approved(3, tablet, 2, laptop); // approved by the laptop

  private static final ContactCheck.FormerEntries NONE = entry -> Optional.empty();

  @Test
  void approvalsInTheSameListVerify() {
    DeviceListValue list = list(phone1, laptop2, tablet3);
    for (Entry e : list.entries()) {
      assertThat(refusal(list, e, Optional.empty(), List.of(), NONE)).isEmpty();
    }
  }

  @Test
  void aDeviceWhoseApproverLeftIsCheckedAgainstTheVersionThatLastHeldIt() {
    DeviceListValue now = list(phone1, tablet3); // the laptop was removed
    List<Entry> asked = new ArrayList<>();
    ContactCheck.FormerEntries former =
        entry -> {
          asked.add(entry);
          return entry.approver().value() == 2 ? Optional.of(laptop2) : Optional.empty();
        };
    assertThat(refusal(now, tablet3, Optional.empty(), List.of(), former)).isEmpty();
    assertThat(asked).containsExactly(tablet3);

    // the old code accepted this on first contact without any check: now it is refused
    assertThat(refusal(now, tablet3, Optional.empty(), List.of(), NONE))
        .get()
        .asString()
        .contains("cannot be checked");
    // an approver the server made up, found nowhere, or found with a key that did not sign
    Entry ghost =
        new Entry(
            DeviceId.of(4),
            key(server),
            DeviceId.of(99),
            server.approveDevice(account, server.identityKey()));
    assertThat(refusal(list(phone1, ghost), ghost, Optional.empty(), List.of(), NONE)).isPresent();
    Entry impostor = approved(2, server, 1, phone); // a device 2 with another key
    assertThat(refusal(now, tablet3, Optional.empty(), List.of(), e -> Optional.of(impostor)))
        .get()
        .asString()
        .contains("does not verify");
  }

  @Test
  void aKeyCheckedBeforeIsNotCheckedAgainButNoOtherKeyHelps() {
    Entry junk = new Entry(DeviceId.of(9), key(server), DeviceId.of(1), random(64));
    DeviceListValue list = list(phone1, laptop2, junk);
    // never checked before: the junk approval is refused
    assertThat(refusal(list, junk, Optional.empty(), List.of(), NONE))
        .get()
        .asString()
        .contains("does not verify");
    // a key this device proved and checked earlier for the same device is not checked again
    assertThat(refusal(list, junk, Optional.of(key(server)), List.of(), NONE)).isEmpty();
    // but a different earlier key does not help
    assertThat(refusal(list, junk, Optional.of(key(laptop)), List.of(), NONE)).isPresent();
  }

  @Test
  void aRemovedDevicesKeyNeverComesBackEvenWithItsOriginalApproval() {
    DeviceListValue revived = list(phone1, laptop2); // laptop2's approval is genuine
    assertThat(refusal(revived, laptop2, Optional.empty(), List.of(key(laptop)), NONE))
        .get()
        .asString()
        .contains("removed");
    // not even as a key this device trusted before
    assertThat(refusal(revived, laptop2, Optional.of(key(laptop)), List.of(key(laptop)), NONE))
        .isPresent();
    assertThat(refusal(revived, laptop2, Optional.empty(), List.of(key(tablet)), NONE)).isEmpty();
  }

  @Test
  void anApproverIsNamedBySerialSoAnotherDeviceInItsFreedSlotDoesNotMatter() {
    // the laptop (slot 2, serial 2) approved the tablet and was removed; a watch took slot 2 as
    // link serial 4: the tablet's approver is still the laptop, found in an older version
    DeviceCrypto watchKeys = device();
    Entry watch =
        new Entry(
            DeviceId.of(2),
            LinkSerial.of(4),
            key(watchKeys),
            LinkSerial.of(1),
            phone.approveDevice(account, watchKeys.identityKey()));
    DeviceListValue now = list(phone1, watch, tablet3);
    ContactCheck.FormerEntries former =
        e -> e.approver().equals(LinkSerial.of(2)) ? Optional.of(laptop2) : Optional.empty();

    assertThat(refusal(now, tablet3, Optional.empty(), List.of(), former)).isEmpty();
    assertThat(refusal(now, watch, Optional.empty(), List.of(), NONE)).isEmpty();
    // a serial this device saw removed never comes back, whatever the key
    assertThat(
            ContactCheck.refusal(
                account, now, watch, Optional.empty(), List.of(), List.of(LinkSerial.of(4)), NONE))
        .get()
        .asString()
        .contains("link serial 4");
    // only serial 1 approves itself, whatever its slot
    Entry selfIn1 =
        new Entry(
            DeviceId.of(1),
            LinkSerial.of(5),
            key(server),
            LinkSerial.of(5),
            server.approveDevice(account, server.identityKey()));
    assertThat(refusal(list(selfIn1, watch), selfIn1, Optional.empty(), List.of(), NONE))
        .get()
        .asString()
        .contains("approved itself");
  }

  @Test
  void aCopiedEntryUnderAnotherIdAndSelfApprovalsAreRefused() {
    Entry copy =
        new Entry(DeviceId.of(5), key(laptop), DeviceId.of(1), laptop2.approvalSignature());
    assertThat(refusal(list(phone1, laptop2, copy), copy, Optional.empty(), List.of(), NONE))
        .get()
        .asString()
        .contains("has the key of device 2");
    Entry self = approved(6, server, 6, server);
    assertThat(refusal(list(phone1, self), self, Optional.empty(), List.of(), NONE))
        .get()
        .asString()
        .contains("approved itself");
  }

  private Optional<String> refusal(
      DeviceListValue list,
      Entry entry,
      Optional<byte[]> before,
      List<byte[]> retired,
      ContactCheck.FormerEntries former) {
    return ContactCheck.refusal(account, list, entry, before, retired, former);
  }

  private Entry approved(int id, DeviceCrypto device, int approverId, DeviceCrypto approver) {
    return new Entry(
        DeviceId.of(id),
        key(device),
        DeviceId.of(approverId),
        approver.approveDevice(account, device.identityKey()));
  }

  private static DeviceListValue list(Entry... entries) {
    return new DeviceListValue(new ArrayList<>(Arrays.asList(entries)));
  }

  private static DeviceCrypto device() {
    return DeviceCrypto.initialize(new InMemoryProtocolState());
  }

  private static byte[] key(DeviceCrypto device) {
    return device.identityKey().bytes();
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }
}
