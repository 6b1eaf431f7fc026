package org.parley.protocol.link;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * Where a link stands (docs/spec/linking.md). Once an existing device approved it, {@code
 * accountId}, {@code handle} and {@code approver} say which account offers to take the new device;
 * the new device becomes a device of it only when it accepts ({@code linked}, with {@code
 * deviceId}); it then authenticates as accountId.deviceId with the password it chose.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkStatus(
    State state, AccountId accountId, Handle handle, DeviceId deviceId, LinkApprover approver) {

  public LinkStatus(State state) {
    this(state, null, null, null, null);
  }

  public enum State {
    PENDING("pending"),
    /** An existing device approved; the new device has not accepted yet. */
    APPROVED("approved"),
    /** The new device accepted and is a device of the account. */
    LINKED("linked"),
    REJECTED("rejected"),
    /** The new device declined the account that approved it. */
    DECLINED("declined"),
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
