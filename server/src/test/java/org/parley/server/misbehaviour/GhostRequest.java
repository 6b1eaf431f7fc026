package org.parley.server.misbehaviour;

import org.parley.protocol.DeviceId;
import org.parley.protocol.Validation;
import org.parley.protocol.kt.DeviceListValue;

/**
 * POST /v1/test/kt/ghost/{accountId} (test-only), an optional body: the ghost's identity key
 * (random if absent), the device its junk approval claims (the account's first device if absent)
 * and its device id (127 if absent; a real device's id replaces that device's entry), so tests can
 * make a ghost match a forged message's key, name an approver the list never had, or re-key a real
 * device.
 */
public record GhostRequest(byte[] identityKey, DeviceId approver, DeviceId deviceId) {
  public GhostRequest(byte[] identityKey, DeviceId approver) {
    this(identityKey, approver, null);
  }

  public GhostRequest {
    if (identityKey != null) {
      identityKey =
          Validation.bytes(
              identityKey,
              "identityKey",
              DeviceListValue.IDENTITY_KEY_LENGTH,
              DeviceListValue.IDENTITY_KEY_LENGTH);
    }
  }
}
