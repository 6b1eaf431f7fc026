package org.parley.protocol.message;

import java.util.List;
import org.parley.protocol.Validation;

/**
 * POST /v1/messages/ack, or the {@code ack} WebSocket frame: envelopes the device has stored and
 * may now be deleted from the server. All or nothing: if any id is not queued for this device, none
 * is deleted.
 */
public record AckRequest(List<String> ids) {
  public static final int MAX_IDS = 500;

  public AckRequest {
    ids = Validation.list(ids, "ids", MAX_IDS);
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("field 'ids' must not be empty");
    }
    for (String id : ids) {
      if (id.isEmpty() || id.length() > 64) {
        throw new IllegalArgumentException("an envelope id is 1-64 characters");
      }
    }
  }
}
