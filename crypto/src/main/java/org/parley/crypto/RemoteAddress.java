package org.parley.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * One device of one account, as the protocol addresses it: the account id (a UUID string) and the
 * device id (1..127). Each device has its own identity key, so trust is tracked per address.
 */
public record RemoteAddress(String accountId, int deviceId) {
  public static final int MIN_DEVICE_ID = 1;
  public static final int MAX_DEVICE_ID = 127;

  /**
   * @throws IllegalArgumentException if the account id is not a UUID string or the device id is
   *     outside 1..127
   */
  public RemoteAddress {
    checkAccountId(accountId);
    if (deviceId < MIN_DEVICE_ID || deviceId > MAX_DEVICE_ID) {
      throw new IllegalArgumentException("device id must be in 1..127: " + deviceId);
    }
  }

  static void checkAccountId(String accountId) {
    Objects.requireNonNull(accountId, "accountId");
    boolean canonical;
    try {
      // the canonical lower-case form only, so one account never has two spellings
      canonical = UUID.fromString(accountId).toString().equals(accountId);
    } catch (IllegalArgumentException e) {
      canonical = false;
    }
    if (!canonical) {
      throw new IllegalArgumentException("account id must be a lower-case UUID: " + accountId);
    }
  }

  @Override
  public String toString() {
    return accountId + "." + deviceId;
  }
}
