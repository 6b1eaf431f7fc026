package org.parley.protocol.kt;

import java.nio.charset.StandardCharsets;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/**
 * The key-transparency labels Parley publishes (docs/spec/keytrans-values.md): an account's device
 * list under {@code "parley/account/" accountId}, a handle's account under {@code "parley/handle/"
 * handle}, both UTF-8. A label is at most 255 bytes.
 */
public final class KtLabels {
  /** The longest label the log accepts ({@code opaque label<0..2^8-1>}). */
  public static final int MAX_LENGTH = 255;

  static final String ACCOUNT_PREFIX = "parley/account/";
  static final String HANDLE_PREFIX = "parley/handle/";

  /**
   * The longest handle domain whose every handle has a label: the prefix (14 bytes), the longest
   * name (32), '@' and the domain must fit 255 bytes. DNS allows 253-character domains, so a server
   * checks its domain against this at start-up rather than failing on a registration.
   */
  public static final int MAX_HANDLE_DOMAIN_LENGTH = MAX_LENGTH - HANDLE_PREFIX.length() - 32 - 1;

  private KtLabels() {}

  /** The label of an account's device list; at most 51 bytes (account ids are 36 characters). */
  public static byte[] account(AccountId accountId) {
    return utf8(ACCOUNT_PREFIX + accountId.value());
  }

  /**
   * The label of a handle.
   *
   * @throws IllegalArgumentException if the handle's domain is longer than {@link
   *     #MAX_HANDLE_DOMAIN_LENGTH}
   */
  public static byte[] handle(Handle handle) {
    if (handle.domain().length() > MAX_HANDLE_DOMAIN_LENGTH) {
      throw new IllegalArgumentException(
          "handles of a domain longer than "
              + MAX_HANDLE_DOMAIN_LENGTH
              + " characters have no label");
    }
    return utf8(HANDLE_PREFIX + handle.value());
  }

  // Handles and account ids are ASCII, so characters and UTF-8 bytes count the same.
  private static byte[] utf8(String label) {
    byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_LENGTH) {
      throw new IllegalStateException("label longer than 255 bytes: " + label);
    }
    return bytes;
  }
}
