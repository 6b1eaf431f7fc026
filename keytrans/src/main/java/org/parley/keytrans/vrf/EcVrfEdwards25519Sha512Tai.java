package org.parley.keytrans.vrf;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381 section 5.5, suite 0x03): edwards25519, SHA-512,
 * try-and-increment encoding, RFC 8032-style nonces; points and integers little-endian as in RFC
 * 8032. The output (beta) is 64 bytes; KT_128_SHA256_Ed25519 truncates it to 32.
 */
public final class EcVrfEdwards25519Sha512Tai extends EcVrf {

  public static final int PUBLIC_KEY_LENGTH = 32;
  public static final int SECRET_KEY_LENGTH = 32;
  public static final int PROOF_LENGTH = 80;
  public static final int OUTPUT_LENGTH = 64;

  public EcVrfEdwards25519Sha512Tai() {
    super((byte) 0x03, "SHA-512", 32, 32, 64);
  }

  @Override
  public String name() {
    return "ECVRF-EDWARDS25519-SHA512-TAI";
  }

  @Override
  public int publicKeyLength() {
    return PUBLIC_KEY_LENGTH;
  }

  @Override
  public int secretKeyLength() {
    return SECRET_KEY_LENGTH;
  }

  @Override
  public VrfSecretKey generateSecretKey(SecureRandom random) {
    byte[] sk = new byte[SECRET_KEY_LENGTH];
    random.nextBytes(sk);
    return new VrfSecretKey(sk);
  }

  @Override
  BigInteger order() {
    return Edwards25519.Q;
  }

  @Override
  ECPoint generator() {
    return Edwards25519.BASE;
  }

  @Override
  int cofactor() {
    return 8;
  }

  @Override
  byte[] pointToString(ECPoint point) {
    return Edwards25519.encode(point);
  }

  @Override
  ECPoint stringToPoint(byte[] encoded) throws VrfException {
    ECPoint point = Edwards25519.decode(encoded);
    if (point == null) {
      throw new VrfException("not a canonical edwards25519 point");
    }
    return point;
  }

  @Override
  byte[] intToString(BigInteger value, int length) {
    return Edwards25519.toLittleEndian(value, length);
  }

  @Override
  BigInteger stringToInt(byte[] encoded) {
    return Edwards25519.littleEndian(encoded);
  }

  /** RFC 8032 section 5.1.5: the clamped low half of SHA-512(SK), reduced mod q. */
  @Override
  BigInteger secretScalar(byte[] secretKey) {
    if (secretKey.length != SECRET_KEY_LENGTH) {
      throw new IllegalArgumentException("Ed25519 VRF secret key must be 32 bytes");
    }
    byte[] h = newDigest().digest(secretKey);
    try {
      byte[] low = Arrays.copyOf(h, 32);
      low[0] &= (byte) 248;
      low[31] &= 127;
      low[31] |= 64;
      BigInteger x = Edwards25519.littleEndian(low).mod(Edwards25519.Q);
      Arrays.fill(low, (byte) 0);
      return x;
    } finally {
      Arrays.fill(h, (byte) 0);
    }
  }

  /** Section 5.4.2.2: k = SHA-512(high half of SHA-512(SK) || h_string) mod q, little-endian. */
  @Override
  BigInteger nonce(byte[] secretKey, BigInteger x, byte[] hString) {
    byte[] h = newDigest().digest(secretKey);
    try {
      var digest = newDigest();
      digest.update(h, 32, 32);
      digest.update(hString);
      return Edwards25519.littleEndian(digest.digest()).mod(Edwards25519.Q);
    } finally {
      Arrays.fill(h, (byte) 0);
    }
  }

  /** Section 5.5: string_to_point of the first 32 bytes of the hash, or null if INVALID. */
  @Override
  ECPoint interpretHashAsPoint(byte[] hash) {
    return Edwards25519.decode(Arrays.copyOf(hash, 32));
  }
}
