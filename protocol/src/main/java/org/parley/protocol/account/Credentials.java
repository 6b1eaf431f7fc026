package org.parley.protocol.account;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * A device credential as sent in {@code Authorization: Basic base64(accountId "." deviceId ":"
 * password)} on every authenticated request and on the WebSocket upgrade.
 */
public record Credentials(AccountId accountId, DeviceId deviceId, String password) {
  public static final int MIN_PASSWORD = 22;
  public static final int MAX_PASSWORD = 128;

  public Credentials {
    checkPassword(password);
  }

  public static void checkPassword(String password) {
    if (password == null
        || password.length() < MIN_PASSWORD
        || password.length() > MAX_PASSWORD
        || !password.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "field 'password' must be "
              + MIN_PASSWORD
              + "-"
              + MAX_PASSWORD
              + " printable ASCII characters");
    }
  }

  public String username() {
    return accountId.value() + "." + deviceId.value();
  }

  public String authorizationHeader() {
    String raw = username() + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses an Authorization header value; throws IllegalArgumentException if it is not ours. */
  public static Credentials parseAuthorization(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new IllegalArgumentException("expected Basic credentials");
    }
    String raw =
        new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    int colon = raw.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected username:password");
    }
    String user = raw.substring(0, colon);
    int dot = user.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException("username must be accountId.deviceId");
    }
    return new Credentials(
        AccountId.of(user.substring(0, dot)),
        DeviceId.of(Integer.parseInt(user.substring(dot + 1))),
        raw.substring(colon + 1));
  }

  @Override
  public String toString() {
    return "Credentials[" + username() + ", password=[REDACTED]]";
  }
}
