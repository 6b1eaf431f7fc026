package org.parley.protocol.account;

import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/**
 * GET /v1/accounts/me and GET /v1/accounts/{accountId}/devices: an account and its current devices,
 * ordered by device id.
 */
public record DeviceList(AccountId accountId, Handle handle, List<DeviceInfo> devices) {
  public DeviceList {
    devices = List.copyOf(devices);
  }
}
