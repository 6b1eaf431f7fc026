package org.parley.client;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * The account that approved this device's link request, as the new device is shown it before it
 * joins. The approving device signed the account id and handle together with the link code and this
 * device's key (docs/spec/linking.md), and that signature verified under {@code approverKey}: the
 * server cannot change them. {@code approverFingerprint} is the approving device's key fingerprint,
 * as {@code parley whoami} prints it on that device; once joined, the key-transparency log must
 * show that key in the account, or it is an alarm.
 */
public record LinkOffer(
    AccountId accountId,
    Handle handle,
    DeviceId approver,
    byte[] approverKey,
    String approverFingerprint) {
  public LinkOffer {
    approverKey = approverKey.clone();
  }

  @Override
  public byte[] approverKey() {
    return approverKey.clone();
  }
}
