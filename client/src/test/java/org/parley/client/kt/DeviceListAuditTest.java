package org.parley.client.kt;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.kt.DeviceListProblem.Kind;
import org.parley.crypto.DeviceCrypto;
import org.parley.crypto.InMemoryProtocolState;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.DeviceListValue.Entry;
import org.parley.protocol.kt.LinkSerial;

class DeviceListAuditTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final AccountId account = AccountId.random();
  private final DeviceCrypto phone = device();
  private final DeviceCrypto laptop = device();
  private final DeviceCrypto tablet = device();
  private final DeviceCrypto ghost = device();
  private final DeviceCrypto outsider = device();

  private final Entry phone1 = approved(1, phone, 1, phone);
  private final Entry laptop2 = approved(2, laptop, 1, phone);
  private final DeviceListValue v0 = list(phone1);
  private final DeviceListValue v1 = list(phone1, laptop2);

  // ---- honest histories pass

  @Test
  void registrationLinksAndRemovalsPass() {
    Entry tablet3 = approved(3, tablet, 2, laptop);
    DeviceListValue v2 = list(phone1, laptop2, tablet3);
    DeviceListValue v3 = list(phone1, tablet3);
    DeviceCrypto watch = device();
    DeviceListValue v4 = list(phone1, tablet3, approved(4, watch, 3, tablet));

    assertThat(audit(null, v0)).isEmpty();
    assertThat(audit(v0, v1)).isEmpty();
    assertThat(audit(v1, v2)).isEmpty();
    assertThat(audit(v2, v3)).containsExactly(problem(Kind.REMOVED, 2));
    assertThat(audit(v2, v3)).noneMatch(DeviceListProblem::alarm);
    assertThat(audit(v3, v4)).isEmpty();
    assertThat(audit(v4, v4)).as("an unchanged version").isEmpty();
  }

  @Test
  void changesPublishedTogetherChainBackToAnApprovedDevice() {
    Entry tablet3 = approved(3, tablet, 2, laptop);
    // two links in one version, the second approved by the first new device
    assertThat(audit(v0, list(phone1, laptop2, tablet3))).isEmpty();
    // version 0 that already holds a device linked before the first publication
    assertThat(audit(null, list(phone1, laptop2, tablet3))).isEmpty();
    // a link approved by a device removed in the same version
    assertThat(audit(v1, list(phone1, tablet3))).containsExactly(problem(Kind.REMOVED, 2));
  }

  // ---- ghosts are flagged

  @Test
  void aGhostWithARandomKeyAndSignatureIsFlagged() {
    Entry random = new Entry(DeviceId.of(3), randomKey(), DeviceId.of(1), randomBytes(64));
    assertUnapproved(audit(v1, list(phone1, laptop2, random)), 3, "does not verify under device 1");
  }

  @Test
  void aGhostApprovedByANonMemberIsFlagged() {
    Entry byStranger = approved(3, ghost, 9, outsider);
    assertUnapproved(
        audit(v1, list(phone1, laptop2, byStranger)), 3, "not a device of the account");
    // a real member's id, a stranger's signature
    Entry forged = approved(3, ghost, 2, outsider);
    assertUnapproved(audit(v1, list(phone1, laptop2, forged)), 3, "does not verify under device 2");
  }

  @Test
  void anApprovalCopiedFromAnotherDevicesEntryIsFlagged() {
    Entry copied =
        new Entry(DeviceId.of(3), key(ghost), DeviceId.of(1), laptop2.approvalSignature());
    assertUnapproved(audit(v1, list(phone1, laptop2, copied)), 3, "does not verify");
    // the whole entry, key included, under another id: the signature verifies, the key gives it
    // away
    Entry clone =
        new Entry(DeviceId.of(3), key(laptop), DeviceId.of(1), laptop2.approvalSignature());
    assertThat(audit(v1, list(phone1, laptop2, clone)))
        .containsExactly(
            new DeviceListProblem(
                Kind.REUSED_KEY, DeviceId.of(3), "device 3 has the key of device 2"));
  }

  @Test
  void aGhostApprovingItselfIsFlagged() {
    Entry self = approved(3, ghost, 3, ghost);
    assertUnapproved(audit(v1, list(phone1, laptop2, self)), 3, "approved itself");
    // ghosts vouching for each other do not chain back to the account
    DeviceCrypto ghost2 = device();
    List<DeviceListProblem> pair =
        audit(
            v1,
            list(phone1, laptop2, approved(3, ghost, 4, ghost2), approved(4, ghost2, 3, ghost)));
    assertThat(pair).extracting(DeviceListProblem::kind).containsOnly(Kind.UNAPPROVED);
    assertThat(pair).extracting(p -> p.deviceId().value()).containsExactly(3, 4);
    // and a device approved by a self-approved ghost is no better
    assertThat(
            audit(
                v1,
                list(phone1, laptop2, approved(3, ghost, 3, ghost), approved(4, ghost2, 3, ghost))))
        .extracting(p -> p.deviceId().value())
        .containsExactly(3, 4);
  }

  @Test
  void anApprovalForAnotherAccountIsFlagged() {
    byte[] elsewhere = phone.approveDevice(AccountId.random(), ghost.identityKey());
    Entry moved = new Entry(DeviceId.of(3), key(ghost), DeviceId.of(1), elsewhere);
    assertUnapproved(audit(v1, list(phone1, laptop2, moved)), 3, "does not verify under device 1");
  }

  @Test
  void aReKeyedOrReApprovedDeviceMustVerifyAgain() {
    Entry reKeyed =
        new Entry(DeviceId.of(2), key(ghost), DeviceId.of(1), laptop2.approvalSignature());
    assertUnapproved(audit(v1, list(phone1, reKeyed)), 2, "does not verify under device 1");
    Entry reApproved = new Entry(DeviceId.of(2), key(laptop), DeviceId.of(1), randomBytes(64));
    assertUnapproved(audit(v1, list(phone1, reApproved)), 2, "does not verify");
    // a re-key the account did approve passes
    assertThat(audit(v1, list(phone1, approved(2, ghost, 1, phone)))).isEmpty();
  }

  @Test
  void aRemovedDeviceBroughtBackIsFlaggedWhenItsKeyIsRemembered() {
    DeviceListValue afterRemoval = list(phone1);
    DeviceListValue revived =
        list(
            phone1,
            new Entry(DeviceId.of(5), key(laptop), DeviceId.of(1), laptop2.approvalSignature()));
    List<byte[]> retired = List.of(key(laptop));

    assertThat(DeviceListAudit.check(account, Optional.of(afterRemoval), revived, retired))
        .containsExactly(
            new DeviceListProblem(
                Kind.REUSED_KEY, DeviceId.of(5), "device 5 has the key of a removed device"));
    // within one version (removed and re-added under a new id) previous is enough
    assertThat(audit(v1, revived))
        .containsExactly(
            new DeviceListProblem(
                Kind.REUSED_KEY, DeviceId.of(5), "device 5 has the key device 2 had"),
            problem(Kind.REMOVED, 2));
  }

  // ---- reused device ids (issue 8 item 7)

  @Test
  void aFreedIdTakenByANewDeviceIsANewDeviceNotAReKey() {
    Entry tabletIn2 = approved(2, 3, tablet, 1, phone); // slot 2 again, link serial 3
    DeviceListValue v2 = list(phone1);

    assertThat(audit(v1, v2)).containsExactly(problem(Kind.REMOVED, 2));
    assertThat(audit(v2, list(phone1, tabletIn2))).isEmpty();
    // removed and replaced within one version: the laptop is reported removed, the tablet passes
    assertThat(audit(v1, list(phone1, tabletIn2))).containsExactly(problem(Kind.REMOVED, 2));
    // a device approved by the tablet names it by serial 3, not by its id 2
    DeviceCrypto watch = device();
    assertThat(
            audit(
                list(phone1, tabletIn2), list(phone1, tabletIn2, approved(3, 4, watch, 3, tablet))))
        .isEmpty();
  }

  @Test
  void aDeviceBackUnderAnOldSerialIsFlaggedEvenWithoutRememberedKeys() {
    Entry tabletIn2 = approved(2, 3, tablet, 1, phone);
    DeviceListValue v2 = list(phone1, tabletIn2); // the laptop (serial 2) was removed
    // the laptop put back with its genuine approval, in a free slot
    Entry back =
        new Entry(
            DeviceId.of(3),
            LinkSerial.of(2),
            key(laptop),
            LinkSerial.of(1),
            laptop2.approvalSignature());

    assertThat(
            DeviceListAudit.check(
                account, Optional.of(v2), list(phone1, tabletIn2, back), List.of()))
        .containsExactly(
            new DeviceListProblem(
                Kind.REUSED_KEY,
                DeviceId.of(3),
                "device 3 is listed under link serial 2, not newer than serial 3 of the version before"));
  }

  // ---- version 0

  @Test
  void versionZeroIsDeviceOneApprovedByItselfAndWhatChainsFromIt() {
    assertUnapproved(
        audit(null, list(approved(1, phone, 1, outsider))),
        1,
        "approval of itself does not verify");
    assertUnapproved(audit(null, list(phone1, approved(2, ghost, 2, ghost))), 2, "approved itself");
    List<DeviceListProblem> circular =
        audit(null, list(approved(1, phone, 2, laptop), approved(2, laptop, 1, phone)));
    assertThat(circular).extracting(p -> p.deviceId().value()).containsExactly(1, 2);
    assertThat(circular.getFirst().detail()).contains("must approve itself");
    // no device 1: a device approved by it cannot be checked
    assertUnapproved(audit(null, list(laptop2)), 2, "not a device of the account");
  }

  @Test
  void alarmsComeFirstAndEveryProblemIsReported() {
    Entry random = new Entry(DeviceId.of(4), randomKey(), DeviceId.of(1), randomBytes(64));
    List<DeviceListProblem> problems = audit(v1, list(phone1, random));
    assertThat(problems)
        .extracting(DeviceListProblem::kind)
        .containsExactly(Kind.UNAPPROVED, Kind.REMOVED);
  }

  // ---- helpers

  private List<DeviceListProblem> audit(DeviceListValue previous, DeviceListValue next) {
    return DeviceListAudit.check(account, Optional.ofNullable(previous), next);
  }

  private static void assertUnapproved(List<DeviceListProblem> problems, int deviceId, String why) {
    assertThat(problems)
        .filteredOn(DeviceListProblem::alarm)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.UNAPPROVED);
              assertThat(p.deviceId().value()).isEqualTo(deviceId);
              assertThat(p.detail()).contains(why);
            });
  }

  private static DeviceListProblem problem(Kind kind, int deviceId) {
    return new DeviceListProblem(
        kind, DeviceId.of(deviceId), "device " + deviceId + " was removed");
  }

  private Entry approved(int id, DeviceCrypto device, int approverId, DeviceCrypto approver) {
    return new Entry(
        DeviceId.of(id),
        key(device),
        DeviceId.of(approverId),
        approver.approveDevice(account, device.identityKey()));
  }

  private Entry approved(
      int id, long serial, DeviceCrypto device, long approverSerial, DeviceCrypto approver) {
    return new Entry(
        DeviceId.of(id),
        LinkSerial.of(serial),
        key(device),
        LinkSerial.of(approverSerial),
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

  private static byte[] randomKey() {
    return device().identityKey().bytes();
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
