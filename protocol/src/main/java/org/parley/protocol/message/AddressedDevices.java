package org.parley.protocol.message;

import java.util.HashSet;
import java.util.List;
import org.parley.protocol.DeviceId;

/**
 * The rule every send to one account's devices follows (a {@link SendRequest}, a {@link
 * GroupRecipient}, a sealed send): each device at most once, and none both addressed and withheld.
 */
public final class AddressedDevices {
  private AddressedDevices() {}

  public static void requireDistinct(
      List<DeviceId> addressed, List<DeviceId> withheld, String field) {
    var seen = new HashSet<DeviceId>();
    for (DeviceId d : addressed) {
      if (!seen.add(d)) {
        throw new IllegalArgumentException("device " + d + " appears twice in '" + field + "'");
      }
    }
    for (DeviceId w : withheld) {
      if (seen.contains(w)) {
        throw new IllegalArgumentException("device " + w + " is both sent to and withheld");
      }
    }
    if (withheld.size() != new HashSet<>(withheld).size()) {
      throw new IllegalArgumentException("a device appears twice in 'withheldDevices'");
    }
  }
}
