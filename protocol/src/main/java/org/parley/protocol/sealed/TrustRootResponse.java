package org.parley.protocol.sealed;

import org.parley.protocol.Validation;

/**
 * GET /v1/certificate/trust-root: the public key (33 bytes, libsignal's serialized Curve25519 key)
 * under which the server's sender certificates are issued. Clients pin it on first use.
 */
public record TrustRootResponse(byte[] trustRoot) {
  public TrustRootResponse {
    trustRoot = Validation.bytes(trustRoot, "trustRoot", 33, 33);
  }
}
