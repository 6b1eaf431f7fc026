package org.parley.protocol.message;

import java.util.List;

/**
 * The answer to a group message: the server's time, how many envelopes it committed, and each
 * recipient account it did not queue for, with why: {@code stale_devices} (the lists as in a
 * one-account 409) or {@code unknown_account}. Nothing was queued for those; everything else was
 * committed before this answer.
 */
public record GroupSendResponse(long serverTimestamp, int devices, List<RefusedRecipient> refused) {
  public GroupSendResponse {
    refused = refused == null ? List.of() : List.copyOf(refused);
  }
}
