package org.parley.crypto;

import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * One device of one account, as the protocol addresses it. Each device has its own identity key, so
 * trust is tracked per address; both parts are validated when they are built.
 */
public record RemoteAddress(AccountId accountId, DeviceId deviceId) {
  public RemoteAddress {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(deviceId, "deviceId");
  }

  @Override
  public String toString() {
    return accountId + "." + deviceId;
  }
}
