package org.parley.protocol.message;

import java.util.List;

/**
 * GET /v1/messages: the oldest queued envelopes of the calling device; {@code more} if truncated.
 */
public record EnvelopeBatch(List<Envelope> envelopes, boolean more) {
  public EnvelopeBatch {
    envelopes = List.copyOf(envelopes);
  }
}
