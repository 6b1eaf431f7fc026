package org.parley.protocol.keys;

import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/** GET /v1/keys/{accountId}/{deviceId|*}: the bundles of one or all devices of an account. */
public record PreKeyBundles(AccountId accountId, Handle handle, List<DeviceBundle> devices) {
  public PreKeyBundles {
    devices = List.copyOf(devices);
  }
}
