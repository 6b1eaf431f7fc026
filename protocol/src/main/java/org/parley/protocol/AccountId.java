package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.UUID;

/** The stable, server-assigned identifier of an account: a random UUID in canonical text form. */
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
