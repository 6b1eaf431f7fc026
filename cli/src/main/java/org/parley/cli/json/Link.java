package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.parley.client.DeviceIdentity;
import org.parley.client.LinkOffer;
import org.parley.client.PendingLink;

/**
 * What {@code parley link} prints as the link goes on, one line per step, told apart by {@code
 * state}: {@code pending}, then {@code approved} (which account offers to take this device), then
 * {@code linked}.
 */
public sealed interface Link extends JsonLine {
  String state();

  /** The request is made: the code and URI to approve on a device of the account. */
  record Pending(String state, String code, String uri, String fingerprint, long expiresAt)
      implements Link {
    public static Pending of(PendingLink p) {
      return new Pending(
          "pending", p.code().value(), p.uri(), p.fingerprint(), p.expiresAt().toEpochMilli());
    }
  }

  /** A device approved: the account it offers, and that device's id and key fingerprint. */
  record Approved(
      String state,
      String handle,
      String accountId,
      int approverDeviceId,
      String approverFingerprint)
      implements Link {
    public static Approved of(LinkOffer o) {
      return new Approved(
          "approved",
          o.handle().value(),
          o.accountId().value(),
          o.approver().value(),
          o.approverFingerprint());
    }
  }

  /** This profile accepted and is now a device of the account. */
  record Linked(String state, @JsonUnwrapped Identity device) implements Link {
    public static Linked of(DeviceIdentity d) {
      return new Linked("linked", Identity.of(d));
    }
  }
}
