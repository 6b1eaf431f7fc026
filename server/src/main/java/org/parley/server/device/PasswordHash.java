package org.parley.server.device;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * A device password as stored: a random 16-byte salt and SHA-256(salt || password). Passwords are
 * client-generated with at least 128 bits of entropy, so a fast hash suffices (no dictionary to
 * attack); the salt keeps equal passwords from showing.
 */
public record PasswordHash(byte[] salt, byte[] hash) {
  private static final SecureRandom RANDOM = new SecureRandom();

  public PasswordHash {
    salt = salt.clone();
    hash = hash.clone();
  }

  public static PasswordHash of(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return new PasswordHash(salt, digest(salt, password));
  }

  /** Constant-time comparison, so timing reveals nothing about the stored hash. */
  public boolean matches(String password) {
    return MessageDigest.isEqual(hash, digest(salt, password));
  }

  private static byte[] digest(byte[] salt, String password) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(salt);
      sha.update(password.getBytes(StandardCharsets.UTF_8));
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "PasswordHash[REDACTED]";
  }
}
