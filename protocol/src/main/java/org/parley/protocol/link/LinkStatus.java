package org.parley.protocol.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * Where a link stands. Account, handle and device id are present once it is approved; the new
 * device then authenticates as accountId.deviceId with the password it chose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkStatus(State state, AccountId accountId, Handle handle, DeviceId deviceId) {
  public enum State {
    PENDING("pending"),
    APPROVED("approved"),
    REJECTED("rejected"),
    EXPIRED("expired");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    @JsonValue
    public String wire() {
      return wire;
    }
  }
}
