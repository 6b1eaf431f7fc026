package org.parley.protocol.link;

import org.parley.protocol.Validation;

/**
 * POST /v1/links/{code}/approve, two identity-key signatures of the approving device
 * (docs/spec/linking.md gives their exact bytes): {@code signature} over the link approval
 * statement (account, code, new key), so that the server alone can never add a device; and {@code
 * ktApproval} over {@link org.parley.protocol.kt.DeviceApprovalStatement}(account, new key), which
 * the server publishes with the device in the key-transparency log for the account's devices to
 * check.
 */
public record ApproveLinkRequest(byte[] signature, byte[] ktApproval) {
  public ApproveLinkRequest {
    signature = Validation.bytes(signature, "signature", 64, 64);
    ktApproval = Validation.bytes(ktApproval, "ktApproval", 64, 64);
  }
}
