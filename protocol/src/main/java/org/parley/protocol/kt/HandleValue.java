package org.parley.protocol.kt;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.parley.protocol.AccountId;

/**
 * The published value of a handle's label: the account id it names, as its 36 UTF-8 bytes (the
 * lowercase canonical UUID), nothing else.
 */
public record HandleValue(AccountId accountId) {
  /** The encoded length: a canonical UUID is 36 characters. */
  public static final int LENGTH = 36;

  public HandleValue {
    Objects.requireNonNull(accountId, "accountId");
  }

  public byte[] encode() {
    return accountId.value().getBytes(StandardCharsets.US_ASCII);
  }

  /** Accepts exactly the bytes {@link #encode} writes. */
  public static HandleValue decode(byte[] bytes) throws MalformedValueException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new MalformedValueException("a handle value is " + LENGTH + " bytes");
    }
    for (byte b : bytes) {
      if (b < 0x20 || b > 0x7e) {
        throw new MalformedValueException("a handle value is printable ASCII");
      }
    }
    try {
      return new HandleValue(AccountId.of(new String(bytes, StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException e) {
      throw new MalformedValueException(
          "a handle value is a lowercase canonical account id: " + e.getMessage());
    }
  }
}
