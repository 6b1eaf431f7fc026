package org.parley.client.store;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import javax.crypto.AEADBadTagException;
import org.parley.client.ClientException;

/**
 * How the stores write and read {@link Secret} values: as they are in a profile without a
 * passphrase, sealed under the profile key in an encrypted one. A value that does not open is an
 * error, never returned: it was altered, or moved from another row.
 */
final class SecretCodec {
  private static final SecretCodec CLEAR = new SecretCodec(null);

  private final ProfileCipher cipher;

  private SecretCodec(ProfileCipher cipher) {
    this.cipher = cipher;
  }

  /** Values stored as they are (a profile without a passphrase). */
  static SecretCodec clear() {
    return CLEAR;
  }

  /** Values sealed under this profile key. */
  static SecretCodec sealedUnder(ProfileCipher cipher) {
    return new SecretCodec(cipher);
  }

  boolean encrypted() {
    return cipher != null;
  }

  Optional<ProfileCipher> cipher() {
    return Optional.ofNullable(cipher);
  }

  /** A BLOB value as it is to be stored in row {@code key}; null stays null. */
  byte[] seal(Secret secret, byte[] value, Object... key) {
    if (value == null || cipher == null) {
      return value;
    }
    return cipher.seal(value, secret.associatedData(key));
  }

  /** A stored BLOB value of row {@code key} as it was written; null stays null. */
  byte[] open(Secret secret, byte[] stored, Object... key) {
    if (stored == null || cipher == null) {
      return stored;
    }
    try {
      return cipher.open(stored, secret.associatedData(key));
    } catch (AEADBadTagException e) {
      throw undecryptable(secret, key);
    }
  }

  /** A TEXT value as it is to be stored: the text itself, or a sealed BLOB. */
  Object sealText(Secret secret, String value, Object... key) {
    if (value == null || cipher == null) {
      return value;
    }
    return cipher.seal(value.getBytes(StandardCharsets.UTF_8), secret.associatedData(key));
  }

  /** A stored TEXT value ({@code ResultSet.getObject}) as it was written. */
  String openText(Secret secret, Object stored, Object... key) {
    if (stored == null) {
      return null;
    }
    if (cipher == null) {
      if (stored instanceof String s) {
        return s;
      }
      throw new ClientException(
          "the local state file holds an encrypted "
              + where(secret, key)
              + " but this profile has no key; it was altered");
    }
    if (!(stored instanceof byte[] sealed)) {
      throw new ClientException(
          "the local state file holds "
              + where(secret, key)
              + " in the clear although this profile is encrypted; it was altered");
    }
    return new String(open(secret, sealed, key), StandardCharsets.UTF_8);
  }

  private static ClientException undecryptable(Secret secret, Object... key) {
    return new ClientException(
        "the local state file's "
            + where(secret, key)
            + " does not decrypt under this profile's key: it was altered or moved from another row");
  }

  private static String where(Secret secret, Object... key) {
    return secret.table() + "." + secret.column() + " of row " + String.join(", ", keyText(key));
  }

  private static String[] keyText(Object... key) {
    String[] parts = new String[key.length];
    for (int i = 0; i < key.length; i++) {
      parts[i] = String.valueOf(key[i]);
    }
    return parts;
  }

  @Override
  public String toString() {
    return cipher == null ? "SecretCodec[clear]" : "SecretCodec[sealed, REDACTED]";
  }
}
