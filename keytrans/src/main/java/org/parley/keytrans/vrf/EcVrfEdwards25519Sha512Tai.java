package org.parley.keytrans.vrf;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * ECVRF-EDWARDS25519-SHA512-TAI (RFC 9381 section 5.5, suite 0x03): edwards25519, SHA-512,
 * try-and-increment encoding, RFC 8032-style nonces; points and integers little-endian as in RFC
 * 8032. The output (beta) is 64 bytes; KT_128_SHA256_Ed25519 truncates it to 32.
 */
public final class EcVrfEdwards25519Sha512Tai extends EcVrf<EdwardsPoint> {

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

  /** The prime order q = 2^252 + 27742317777372353535851937790883648493 of B. */
  static final BigInteger Q =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  @Override
  BigInteger order() {
    return Q;
  }

  @Override
  EdwardsPoint generator() {
    return EdwardsPoint.BASE;
  }

  @Override
  EdwardsPoint multiplyBaseSecret(BigInteger k) {
    return EdwardsMultiply.baseSecret(LittleEndian.toBytes(k, 32));
  }

  @Override
  EdwardsPoint multiplySecret(EdwardsPoint point, BigInteger k) {
    return EdwardsMultiply.secret(point, LittleEndian.toBytes(k, 32));
  }

  @Override
  EdwardsPoint publicDifference(BigInteger s, EdwardsPoint a, BigInteger c, EdwardsPoint b) {
    return EdwardsMultiply.publicDifference(s, a, c, b);
  }

  @Override
  EdwardsPoint timesCofactor(EdwardsPoint point) {
    return point.timesCofactor();
  }

  @Override
  boolean isIdentity(EdwardsPoint point) {
    return point.isIdentity();
  }

  @Override
  byte[] pointToString(EdwardsPoint point) {
    return point.encode();
  }

  @Override
  EdwardsPoint stringToPoint(byte[] encoded) throws VrfException {
    EdwardsPoint point = EdwardsPoint.decode(encoded);
    if (point == null) {
      throw new VrfException("not a canonical edwards25519 point");
    }
    return point;
  }

  @Override
  byte[] intToString(BigInteger value, int length) {
    return LittleEndian.toBytes(value, length);
  }

  @Override
  BigInteger stringToInt(byte[] encoded) {
    return LittleEndian.toBigInteger(encoded);
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
      BigInteger x = LittleEndian.toBigInteger(low).mod(Q);
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
      return LittleEndian.toBigInteger(digest.digest()).mod(Q);
    } finally {
      Arrays.fill(h, (byte) 0);
    }
  }

  /** Section 5.5: string_to_point of the first 32 bytes of the hash, or null if INVALID. */
  @Override
  EdwardsPoint interpretHashAsPoint(byte[] hash) {
    return EdwardsPoint.decode(Arrays.copyOf(hash, 32));
  }
}
