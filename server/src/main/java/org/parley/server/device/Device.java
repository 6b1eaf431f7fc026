package org.parley.server.device;

import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.LinkSerial;

/**
 * A device as the server keeps it: {@code id} is its slot in the account (a removed device's id is
 * handed out again), {@code serial} its link serial (never). {@code credential} is the salted hash
 * of its password, never the password. {@code approval} is null only for a device stored before
 * approvals were kept (schema V3); every device added since has one.
 */
public record Device(
    AccountId accountId,
    DeviceId id,
    LinkSerial serial,
    String name,
    int registrationId,
    byte[] identityKey,
    PasswordHash credential,
    long createdAt,
    DeviceApproval approval) {

  /**
   * This device as the account's published device list states it: id, identity key and approval.
   * Empty for a device without an approval, which no device list can include.
   */
  public Optional<DeviceListValue.Entry> ktEntry() {
    if (approval == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DeviceListValue.Entry(
            id, serial, identityKey, approval.approver(), approval.signature()));
  }
}
