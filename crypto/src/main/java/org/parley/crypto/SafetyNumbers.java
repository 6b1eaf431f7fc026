package org.parley.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.parley.protocol.AccountId;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.InvalidKeyException;
import org.signal.libsignal.protocol.ecc.ECPrivateKey;
import org.signal.libsignal.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * Safety numbers: the 60 digits two people compare to check that they see each other's keys.
 *
 * <p>libsignal's {@link NumericFingerprintGenerator} takes one identity key per side, because in
 * Signal an account has one. In Parley every device has its own key, so a safety number must cover
 * all of an account's device keys: each side's keys are sorted, hashed (SHA-512 with a domain
 * label, the count and each 33-byte key), and the first 32 bytes of the hash are used as a
 * Curve25519 private scalar whose public key stands in for "the account's identity key". That
 * stand-in is not a secret (anyone can recompute it); it is only a binding commitment to the exact
 * set of device keys, so adding, removing or replacing any device changes the number. The
 * combination is done even for a single device, so numbers never depend on the device count's
 * special cases.
 */
public final class SafetyNumbers {
  /** libsignal fingerprint version 2: stable identifiers are opaque bytes (here account UUIDs). */
  private static final int VERSION = 2;

  /** Hash iterations per side, as Signal uses. */
  private static final int ITERATIONS = 5200;

  private static final byte[] LABEL =
      "Parley safety number v1: device identity keys".getBytes(StandardCharsets.UTF_8);

  private SafetyNumbers() {}

  /**
   * The safety number between two accounts, each given by its id and the identity keys of all its
   * devices (in any order). Both sides compute the same digits.
   *
   * @return 60 decimal digits
   * @throws IllegalArgumentException if a side has no keys
   */
  public static String safetyNumber(
      AccountId localAccountId,
      List<IdentityPublicKey> localKeys,
      AccountId remoteAccountId,
      List<IdentityPublicKey> remoteKeys) {
    Objects.requireNonNull(localAccountId, "localAccountId");
    Objects.requireNonNull(remoteAccountId, "remoteAccountId");
    return new NumericFingerprintGenerator(ITERATIONS)
        .createFor(
            VERSION,
            localAccountId.value().getBytes(StandardCharsets.UTF_8),
            combine(localKeys),
            remoteAccountId.value().getBytes(StandardCharsets.UTF_8),
            combine(remoteKeys))
        .getDisplayableFingerprint()
        .getDisplayText();
  }

  static IdentityKey combine(List<IdentityPublicKey> keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an account has at least one device key");
    }
    List<byte[]> sorted = new ArrayList<>();
    for (IdentityPublicKey key : keys) {
      byte[] bytes = key.bytes();
      if (sorted.stream().noneMatch(k -> Arrays.equals(k, bytes))) {
        sorted.add(bytes); // a repeated key is the same set
      }
    }
    sorted.sort(Arrays::compareUnsigned);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(LABEL);
    input.write(0);
    int n = sorted.size();
    input.writeBytes(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sorted.forEach(input::writeBytes);
    try {
      byte[] scalar =
          Arrays.copyOf(MessageDigest.getInstance("SHA-512").digest(input.toByteArray()), 32);
      return new IdentityKey(new ECPrivateKey(scalar).publicKey());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-512 is always present", e);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("libsignal refused a 32-byte scalar", e);
    }
  }
}
