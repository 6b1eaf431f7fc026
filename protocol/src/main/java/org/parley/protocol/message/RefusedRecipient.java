package org.parley.protocol.message;

import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorCode;

/**
 * A recipient account a group message was not queued for: {@code stale_devices} with the three
 * lists a one-account 409 has, or {@code unknown_account}.
 */
public record RefusedRecipient(
    AccountId accountId,
    ErrorCode code,
    List<Integer> missingDevices,
    List<Integer> extraDevices,
    List<Integer> staleDevices) {
  public RefusedRecipient {
    missingDevices = missingDevices == null ? List.of() : List.copyOf(missingDevices);
    extraDevices = extraDevices == null ? List.of() : List.copyOf(extraDevices);
    staleDevices = staleDevices == null ? List.of() : List.copyOf(staleDevices);
  }
}
