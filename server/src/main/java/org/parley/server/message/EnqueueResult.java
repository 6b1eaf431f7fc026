package org.parley.server.message;

import java.util.List;

/**
 * The outcome of an atomic send: all envelopes committed, or none because the device list moved.
 */
public sealed interface EnqueueResult {
  record Stored(List<StoredEnvelope> envelopes) implements EnqueueResult {
    public Stored {
      envelopes = List.copyOf(envelopes);
    }
  }

  /**
   * The sender's view of the recipient's devices is out of date. {@code missing}: current devices
   * the request had no message for; {@code extra}: devices in the request that do not exist; {@code
   * stale}: devices whose registration id differs.
   */
  record StaleDevices(List<Integer> missing, List<Integer> extra, List<Integer> stale)
      implements EnqueueResult {
    public StaleDevices {
      missing = List.copyOf(missing);
      extra = List.copyOf(extra);
      stale = List.copyOf(stale);
    }
  }
}
