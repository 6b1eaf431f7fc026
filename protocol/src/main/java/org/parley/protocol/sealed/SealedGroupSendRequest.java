package org.parley.protocol.sealed;

import java.util.HashSet;
import java.util.List;
import org.parley.protocol.Validation;

/**
 * POST /v1/messages/group/sealed, sent without a device credential: one group message sealed once
 * for every recipient device (libsignal's multi-recipient sealed sender, {@code payload}), and who
 * each of its recipients is, in the payload's order (docs/spec/sealed-sender.md).
 */
public record SealedGroupSendRequest(
    List<SealedGroupRecipient> recipients, byte[] payload, long timestamp) {
  /**
   * The most recipient devices of one upload: 4,096 keep the request under the 1 MiB body limit (68
   * bytes each in the payload, about 120 in {@code recipients}); a client splits a larger group.
   */
  public static final int MAX_RECIPIENTS = 4_096;

  /** The most bytes a payload may have: every recipient's 68 bytes and a message of 96 KiB. */
  public static final int MAX_PAYLOAD = MAX_RECIPIENTS * 68 + 100 * 1024;

  public SealedGroupSendRequest {
    recipients = Validation.list(recipients, "recipients", MAX_RECIPIENTS);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("field 'recipients' must not be empty");
    }
    var seen = new HashSet<String>();
    for (SealedGroupRecipient r : recipients) {
      if (!seen.add(r.accountId() + "." + r.deviceId())) {
        throw new IllegalArgumentException(
            "device " + r.deviceId() + " of " + r.accountId() + " appears twice in 'recipients'");
      }
    }
    payload = Validation.bytes(payload, "payload", 1, MAX_PAYLOAD);
    if (timestamp <= 0) {
      throw new IllegalArgumentException("field 'timestamp' must be positive");
    }
  }
}
