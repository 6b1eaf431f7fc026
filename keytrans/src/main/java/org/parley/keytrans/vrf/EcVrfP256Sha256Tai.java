package org.parley.keytrans.vrf;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECVRF-P256-SHA256-TAI (RFC 9381 section 5.5, suite 0x01): NIST P-256, SHA-256, try-and-increment
 * encoding, RFC 6979 nonces; points are SEC 1 compressed (33 bytes), integers big-endian.
 */
public final class EcVrfP256Sha256Tai extends EcVrf<ECPoint> {

  public static final int PUBLIC_KEY_LENGTH = 33;
  public static final int SECRET_KEY_LENGTH = 32;
  public static final int PROOF_LENGTH = 81;
  public static final int OUTPUT_LENGTH = 32;

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECCurve CURVE = P256.getCurve();
  private static final ECPoint B = P256.getG();
  private static final BigInteger Q = P256.getN();

  public EcVrfP256Sha256Tai() {
    super((byte) 0x01, "SHA-256", 33, 32, 32);
  }

  @Override
  public String name() {
    return "ECVRF-P256-SHA256-TAI";
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
    BigInteger x =
        BigIntegers.createRandomInRange(BigInteger.ONE, Q.subtract(BigInteger.ONE), random);
    return new VrfSecretKey(BigIntegers.asUnsignedByteArray(SECRET_KEY_LENGTH, x));
  }

  @Override
  BigInteger order() {
    return Q;
  }

  @Override
  ECPoint generator() {
    return B;
  }

  /** The comb multiplier is BouncyCastle's side-channel-resistant choice for secret scalars. */
  private static final FixedPointCombMultiplier SECRET_MULTIPLIER = new FixedPointCombMultiplier();

  @Override
  ECPoint multiplyBaseSecret(BigInteger k) {
    return multiplySecret(B, k);
  }

  @Override
  ECPoint multiplySecret(ECPoint point, BigInteger k) {
    return SECRET_MULTIPLIER.multiply(point, k).normalize();
  }

  @Override
  ECPoint publicDifference(BigInteger s, ECPoint a, BigInteger c, ECPoint b) {
    return ECAlgorithms.sumOfTwoMultiplies(a, s, b.negate(), c).normalize();
  }

  /** P-256 has cofactor 1. */
  @Override
  ECPoint timesCofactor(ECPoint point) {
    return point;
  }

  @Override
  boolean isIdentity(ECPoint point) {
    return point.isInfinity();
  }

  @Override
  byte[] pointToString(ECPoint point) {
    return point.getEncoded(true);
  }

  @Override
  ECPoint stringToPoint(byte[] encoded) throws VrfException {
    // SEC 1 section 2.3.4 for a compressed point only: BouncyCastle rejects x >= p and x with no y.
    if (encoded.length != 33 || (encoded[0] != 0x02 && encoded[0] != 0x03)) {
      throw new VrfException("not a compressed P-256 point");
    }
    try {
      return CURVE.decodePoint(encoded).normalize();
    } catch (RuntimeException e) {
      throw new VrfException("not a P-256 point");
    }
  }

  @Override
  byte[] intToString(BigInteger value, int length) {
    return BigIntegers.asUnsignedByteArray(length, value);
  }

  @Override
  BigInteger stringToInt(byte[] encoded) {
    return BigIntegers.fromUnsignedByteArray(encoded);
  }

  @Override
  BigInteger secretScalar(byte[] secretKey) {
    if (secretKey.length != SECRET_KEY_LENGTH) {
      throw new IllegalArgumentException("P-256 VRF secret key must be 32 bytes");
    }
    BigInteger x = BigIntegers.fromUnsignedByteArray(secretKey);
    if (x.signum() == 0 || x.compareTo(Q) >= 0) {
      throw new IllegalArgumentException("P-256 VRF secret key must be in [1, q-1]");
    }
    return x;
  }

  /** Section 5.4.2.1: RFC 6979 section 3.2 with m = h_string, so h1 = SHA-256(h_string). */
  @Override
  BigInteger nonce(byte[] secretKey, BigInteger x, byte[] hString) {
    byte[] h1 = newDigest().digest(hString);
    HMacDSAKCalculator calculator = new HMacDSAKCalculator(new SHA256Digest());
    calculator.init(Q, x, h1);
    return calculator.nextK();
  }

  /** Section 5.5: string_to_point(0x02 || hash), INVALID (null) when that is not a point. */
  @Override
  ECPoint interpretHashAsPoint(byte[] hash) {
    byte[] encoded = new byte[33];
    encoded[0] = 0x02;
    System.arraycopy(hash, 0, encoded, 1, 32);
    try {
      return stringToPoint(encoded);
    } catch (VrfException e) {
      return null;
    }
  }
}
