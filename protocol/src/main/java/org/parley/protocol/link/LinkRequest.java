package org.parley.protocol.link;

import org.parley.protocol.Validation;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.DeviceName;
import org.parley.protocol.keys.DeviceKeys;

/**
 * POST /v1/links (no credentials): a new device asks to join an account. It publishes its keys and
 * its future credential password now; nothing is added to any account until an existing device
 * approves the returned code.
 */
public record LinkRequest(String password, String deviceName, DeviceKeys keys) {
  public LinkRequest {
    Credentials.checkPassword(password);
    deviceName = DeviceName.check(deviceName);
    Validation.required(keys, "keys");
  }
}
