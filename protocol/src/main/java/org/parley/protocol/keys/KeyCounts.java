package org.parley.protocol.keys;

/**
 * GET /v1/keys/status: how many one-time prekeys the server still holds for the calling device. A
 * client refills when either falls below {@link #REFILL_THRESHOLD}.
 */
public record KeyCounts(int preKeys, int kyberPreKeys) {
  public static final int REFILL_THRESHOLD = 10;

  public boolean low() {
    return preKeys < REFILL_THRESHOLD || kyberPreKeys < REFILL_THRESHOLD;
  }
}
