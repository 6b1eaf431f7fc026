package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/**
 * The stable identifier of an account: a random UUID in canonical text form, proposed by the
 * registering client (device 1 signs its approval over it before the account exists) and accepted
 * by the server if no account has it.
 */
public record AccountId(String value) {
  public AccountId {
    Validation.required(value, "accountId");
    UUID parsed;
    try {
      parsed = UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an account id: " + value);
    }
    if (!parsed.toString().equals(value)) {
      throw new IllegalArgumentException("account id must be a lowercase canonical UUID: " + value);
    }
  }

  @JsonCreator
  public static AccountId of(String value) {
    return new AccountId(value);
  }

  public static AccountId random() {
    return new AccountId(UUID.randomUUID().toString());
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @Override
  public String toString() {
    return value;
  }
}
