package org.parley.client.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.parley.client.Passphrase;
import org.parley.client.PassphraseException;

/**
 * A profile key: AES-256-GCM sealing of values bound to associated data, and the wrap of the key
 * itself under a key Argon2id derives from a passphrase. This class is all the cryptography of
 * encryption at rest (docs/security.md); it never exposes the key.
 *
 * <p>A sealed value is {@code 0x01 || nonce (12) || ciphertext || tag (16)}. Nonces are random:
 * with 96 bits, one key stays within NIST's 2^32-messages bound for random nonces, and every
 * passphrase set or change draws a new key.
 */
final class ProfileCipher implements Destroyable {
  /**
   * The Argon2id cost used for new wraps: 64 MiB, 3 passes, one lane (RFC 9106's second choice).
   */
  static final KdfParameters DEFAULT_KDF = new KdfParameters(64 * 1024, 3, 1);

  private static final byte FORMAT = 1;
  private static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final int SALT_BYTES = 16;
  private static final byte[] WRAP_LABEL =
      "parley profile key v1".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] key;
  private boolean destroyed;

  /** Argon2id's cost: memory in KiB, passes, lanes. */
  record KdfParameters(int memoryKib, int iterations, int parallelism) {
    KdfParameters {
      // bounds, so a tampered file cannot make an open allocate gigabytes or spin for hours
      if (memoryKib < 8 * 1024 || memoryKib > 4 * 1024 * 1024) {
        throw new IllegalArgumentException("Argon2id memory out of range: " + memoryKib + " KiB");
      }
      if (iterations < 1 || iterations > 64 || parallelism < 1 || parallelism > 16) {
        throw new IllegalArgumentException(
            "Argon2id passes or lanes out of range: " + iterations + ", " + parallelism);
      }
    }
  }

  /** The profile key as stored: wrapped under a passphrase with these parameters and salt. */
  record WrappedKey(KdfParameters kdf, byte[] salt, byte[] sealedKey) {
    WrappedKey {
      salt = salt.clone();
      sealedKey = sealedKey.clone();
    }

    @Override
    public byte[] salt() {
      return salt.clone();
    }

    @Override
    public byte[] sealedKey() {
      return sealedKey.clone();
    }
  }

  private ProfileCipher(byte[] key) {
    this.key = key;
  }

  /** A new random profile key. */
  static ProfileCipher generate() {
    byte[] key = new byte[KEY_BYTES];
    RANDOM.nextBytes(key);
    return new ProfileCipher(key);
  }

  /**
   * Unwraps a stored profile key with the passphrase.
   *
   * @throws PassphraseException (WRONG) if the passphrase does not open it
   */
  static ProfileCipher unwrap(WrappedKey wrapped, Passphrase passphrase) {
    byte[] kek = derive(passphrase, wrapped.salt, wrapped.kdf);
    try {
      byte[] key = open(kek, wrapped.sealedKey, wrapAd(wrapped.kdf, wrapped.salt));
      if (key.length != KEY_BYTES) {
        throw new PassphraseException(
            PassphraseException.Problem.WRONG, "wrong passphrase for this profile");
      }
      return new ProfileCipher(key);
    } catch (AEADBadTagException e) {
      throw new PassphraseException(
          PassphraseException.Problem.WRONG, "wrong passphrase for this profile");
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  /** This key, wrapped under the passphrase with a fresh salt. */
  WrappedKey wrap(Passphrase passphrase, KdfParameters kdf) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    byte[] kek = derive(passphrase, salt, kdf);
    try {
      return new WrappedKey(kdf, salt, seal(kek, liveKey(), wrapAd(kdf, salt)));
    } finally {
      Arrays.fill(kek, (byte) 0);
    }
  }

  /** Seals a value; {@code associatedData} names where it belongs and must be given to open it. */
  byte[] seal(byte[] plaintext, byte[] associatedData) {
    return seal(liveKey(), plaintext, associatedData);
  }

  /**
   * Opens a sealed value.
   *
   * @throws AEADBadTagException if it was altered, sealed under another key, or sealed for other
   *     associated data (moved from another row)
   */
  byte[] open(byte[] sealed, byte[] associatedData) throws AEADBadTagException {
    return open(liveKey(), sealed, associatedData);
  }

  @Override
  public void destroy() {
    Arrays.fill(key, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "ProfileCipher[REDACTED]";
  }

  private byte[] liveKey() {
    if (destroyed) {
      throw new IllegalStateException("the profile key was destroyed");
    }
    return key;
  }

  private static byte[] seal(byte[] key, byte[] plaintext, byte[] ad) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.ENCRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, nonce));
      gcm.updateAAD(ad);
      byte[] body = gcm.doFinal(plaintext);
      return ByteBuffer.allocate(1 + NONCE_BYTES + body.length)
          .put(FORMAT)
          .put(nonce)
          .put(body)
          .array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static byte[] open(byte[] key, byte[] sealed, byte[] ad) throws AEADBadTagException {
    if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != FORMAT) {
      throw new AEADBadTagException("not a sealed value");
    }
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(
          Cipher.DECRYPT_MODE,
          new SecretKeySpec(key, "AES"),
          new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
      gcm.updateAAD(ad);
      return gcm.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  private static byte[] derive(Passphrase passphrase, byte[] salt, KdfParameters kdf) {
    Argon2BytesGenerator argon2 = new Argon2BytesGenerator();
    argon2.init(
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(kdf.memoryKib())
            .withIterations(kdf.iterations())
            .withParallelism(kdf.parallelism())
            .withSalt(salt)
            .build());
    byte[] secret = passphrase.utf8Bytes();
    byte[] kek = new byte[KEY_BYTES];
    try {
      argon2.generateBytes(secret, kek);
      return kek;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  /** The wrap's associated data: a label, the parameters and the salt, so none can be swapped. */
  private static byte[] wrapAd(KdfParameters kdf, byte[] salt) {
    return ByteBuffer.allocate(WRAP_LABEL.length + 12 + salt.length)
        .put(WRAP_LABEL)
        .putInt(kdf.memoryKib())
        .putInt(kdf.iterations())
        .putInt(kdf.parallelism())
        .put(salt)
        .array();
  }
}
