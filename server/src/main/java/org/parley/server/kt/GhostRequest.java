package org.parley.server.kt;

import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;
import org.parley.protocol.kt.DeviceListValue;

/**
 * POST /v1/test/kt/ghost/{accountId} (test-only), an optional body: the ghost's identity key
 * (random if absent) and the device its junk approval claims (the account's first device if
 * absent), so tests can make a ghost match a forged message's key or name an approver the list
 * never had.
 */
public record GhostRequest(byte[] identityKey, DeviceId approver) {
  public GhostRequest {
    if (identityKey != null) {
      identityKey = Validation.bytes(identityKey, "identityKey",
          DeviceListValue.IDENTITY_KEY_LENGTH, DeviceListValue.IDENTITY_KEY_LENGTH);
    }
  }
}
