package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.parley.client.DeviceIdentity;

/**
 * This profile's device ({@code parley register}, {@code whoami}, and the last line of {@code
 * link}). {@code address} (whoami only, once the log is pinned) is the server URL with the log's
 * hash, to give to others.
 */
public record Identity(
    String handle,
    String accountId,
    int deviceId,
    String deviceName,
    String server,
    String fingerprint,
    @JsonInclude(Include.NON_NULL) String address)
    implements JsonLine {
  public static Identity of(DeviceIdentity d) {
    return new Identity(
        d.handle().value(),
        d.accountId().value(),
        d.deviceId().value(),
        d.deviceName(),
        d.server().toString(),
        d.fingerprint(),
        null);
  }

  public Identity withAddress(String newAddress) {
    return new Identity(handle, accountId, deviceId, deviceName, server, fingerprint, newAddress);
  }
}
