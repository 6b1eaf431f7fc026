package org.parley.server.auth;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.server.account.Account;
import org.parley.server.device.Device;

/** The device a request was authenticated as, with its account, as read for this request. */
public record AuthenticatedDevice(Account account, Device device) {
  public AccountId accountId() {
    return account.id();
  }

  public DeviceId deviceId() {
    return device.id();
  }
}
