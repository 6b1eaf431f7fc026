package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.parley.client.DeviceSummary;

/** What {@code parley devices} and its subcommands print. */
public sealed interface Devices extends JsonLine {
  /** {@code devices list}: one line per device of the account, by id. */
  record Listed(
      int deviceId,
      @JsonInclude(Include.NON_NULL) String name,
      long createdAt,
      String fingerprint,
      boolean thisDevice)
      implements Devices {
    public static Listed of(DeviceSummary d) {
      return new Listed(
          d.deviceId(), d.name(), d.createdAt().toEpochMilli(), d.fingerprint(), d.thisDevice());
    }
  }

  /** {@code devices approve}: the new device's name and key fingerprint, as shown and signed. */
  record Approved(boolean approved, String name, String fingerprint) implements Devices {}

  /** {@code devices reject}. */
  record Rejected(boolean rejected) implements Devices {}

  /** {@code devices remove}: the id of the device removed. */
  record Removed(int removed) implements Devices {}
}
