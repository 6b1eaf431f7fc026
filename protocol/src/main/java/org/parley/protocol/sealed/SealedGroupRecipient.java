package org.parley.protocol.sealed;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;

/**
 * Who one recipient of a sealed group upload is (docs/spec/sealed-sender.md, "The multi-recipient
 * upload"): the device the upload's recipient at the same position is for, with the delivery
 * credential that device handed out.
 */
public record SealedGroupRecipient(
    AccountId accountId, DeviceId deviceId, byte[] deliveryCredential) {
  public SealedGroupRecipient {
    Validation.required(accountId, "accountId");
    Validation.required(deviceId, "deviceId");
    deliveryCredential = DeliveryCredential.check(deliveryCredential, "deliveryCredential");
  }
}
