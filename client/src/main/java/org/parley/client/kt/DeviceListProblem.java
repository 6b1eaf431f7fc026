package org.parley.client.kt;

import java.util.Objects;
import org.parley.protocol.DeviceId;

/** Something {@link DeviceListAudit} found in a new version of an account's device list. */
public record DeviceListProblem(Kind kind, DeviceId deviceId, String detail) {
  public DeviceListProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(detail, "detail");
  }

  public enum Kind {
    /**
     * A device added, re-keyed or re-approved whose approval does not verify under the key of an
     * approving device of the account: a device the account did not approve (a "ghost").
     */
    UNAPPROVED(true),
    /**
     * A device added or re-keyed with a key another device of the account has or had. The approval
     * statement names no device id, so a copied or resurrected entry carries a valid signature; the
     * key being reused is what gives it away.
     */
    REUSED_KEY(true),
    /** A device of the previous version is gone: expected after a removal, worth showing. */
    REMOVED(false);

    private final boolean alarm;

    Kind(boolean alarm) {
      this.alarm = alarm;
    }

    /** True if the account did not approve this change: the user must be warned. */
    public boolean alarm() {
      return alarm;
    }
  }

  public boolean alarm() {
    return kind.alarm();
  }
}
