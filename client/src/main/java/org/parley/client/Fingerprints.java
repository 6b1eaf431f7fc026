package org.parley.client;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The short fingerprint of a device identity key (docs/spec/linking.md): the first 22 characters of
 * the unpadded base64url of SHA-256 over the 33 serialized key bytes (132 bits).
 */
public final class Fingerprints {
  public static final int LENGTH = 22;

  private Fingerprints() {}

  public static String of(byte[] identityKey) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(identityKey);
      // the JDK's encoder, as Json.base64Url is: Json would build its ObjectMapper, a tenth of
      // a second of a fresh JVM's first open, for this one string
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime provides SHA-256", e);
    }
  }

  /** Constant-time comparison of two fingerprints. */
  public static boolean matches(String a, String b) {
    return MessageDigest.isEqual(
        a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
