package org.parley.protocol.link;

import org.parley.protocol.Validation;

/**
 * POST /v1/links/{code}/approve: the approving device's identity-key signature over the approval
 * statement (docs/spec/linking.md gives its exact bytes), so that the server alone can never add a
 * device.
 */
public record ApproveLinkRequest(byte[] signature) {
  public ApproveLinkRequest {
    signature = Validation.bytes(signature, "signature", 64, 64);
  }
}
