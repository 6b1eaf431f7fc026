package org.parley.client.store;

/**
 * This device as stored: where its server is, its credential password and, once registered or
 * linked, its account id, handle and device id. While a link request waits for approval, {@code
 * state} is {@code LINKING} and the link code is set.
 */
public record DeviceRecord(
    State state,
    String serverUrl,
    String deviceName,
    String password,
    String accountId,
    String handle,
    Integer deviceId,
    String linkCode,
    Long linkExpiresAt) {

  /** Whether the device belongs to an account yet. */
  public enum State {
    LINKING,
    ACTIVE
  }

  @Override
  public String toString() {
    return "DeviceRecord["
        + state
        + ", "
        + serverUrl
        + ", "
        + handle
        + "."
        + deviceId
        + ", password=[REDACTED]]";
  }
}
