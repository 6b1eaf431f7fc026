package org.parley.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How people reach each other: {@code name@domain}, where domain is the server's domain. Handles
 * are case-insensitive and stored lowercased; the name is 1-32 characters of a-z, 0-9, '.', '_' and
 * '-', starting with a letter or digit.
 */
public record Handle(String value) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,31}");
  private static final Pattern DOMAIN =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  public Handle {
    Validation.required(value, "handle");
    value = value.toLowerCase(Locale.ROOT);
    int at = value.indexOf('@');
    if (at < 0 || at != value.lastIndexOf('@')) {
      throw new IllegalArgumentException("a handle looks like name@domain: " + value);
    }
    if (!NAME.matcher(value.substring(0, at)).matches()) {
      throw new IllegalArgumentException(
          "the name part of a handle is 1-32 of a-z 0-9 . _ - starting with a letter or digit: "
              + value);
    }
    if (!DOMAIN.matcher(value.substring(at + 1)).matches()) {
      throw new IllegalArgumentException("the domain part of the handle is not a domain: " + value);
    }
  }

  @JsonCreator
  public static Handle of(String value) {
    return new Handle(value);
  }

  public String name() {
    return value.substring(0, value.indexOf('@'));
  }

  public String domain() {
    return value.substring(value.indexOf('@') + 1);
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
