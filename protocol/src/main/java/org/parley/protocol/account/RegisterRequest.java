package org.parley.protocol.account;

import org.parley.protocol.Handle;
import org.parley.protocol.Validation;
import org.parley.protocol.keys.DeviceKeys;

/**
 * POST /v1/accounts: creates an account with its first device (device 1). {@code password} is the
 * device's credential, chosen by the client: 22-128 characters, at least 128 bits of randomness.
 */
public record RegisterRequest(Handle handle, String password, String deviceName, DeviceKeys keys) {
  public RegisterRequest {
    Validation.required(handle, "handle");
    Credentials.checkPassword(password);
    deviceName = DeviceName.check(deviceName);
    Validation.required(keys, "keys");
  }
}
