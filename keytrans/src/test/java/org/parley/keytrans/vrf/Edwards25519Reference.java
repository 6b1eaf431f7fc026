package org.parley.keytrans.vrf;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The test reference for {@link EdwardsPoint}: edwards25519 points as BouncyCastle points on the
 * isomorphic short Weierstrass curve ("curve25519" in {@link CustomNamedCurves}), with the RFC 8032
 * encoding.
 *
 * <p>This was the VRF's arithmetic until the extended-coordinate code replaced it (0.3 ms of
 * BigInteger conversions per proof); it stays as an independent implementation of the same group,
 * through BouncyCastle's generic EC code and the Montgomery form, against which the fast one is
 * checked.
 */
final class Edwards25519Reference {

  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));
  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("curve25519");
  static final ECCurve CURVE = PARAMS.getCurve();
  static final BigInteger Q = PARAMS.getN();

  private static final BigInteger TWO = BigInteger.TWO;
  private static final BigInteger D =
      BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  private static final BigInteger SQRT_M1 = TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
  private static final BigInteger A = BigInteger.valueOf(486662);

  /** A/3: the shift between Montgomery u and Weierstrass X. */
  private static final BigInteger A_THIRD = A.multiply(BigInteger.valueOf(3).modInverse(P)).mod(P);

  /** The square root of -(A+2) that maps the RFC 8032 base point to BouncyCastle's generator. */
  private static final BigInteger C;

  /** The RFC 8032 base point B, on the Weierstrass curve. */
  static final ECPoint BASE;

  static {
    BigInteger by = BigInteger.valueOf(4).multiply(BigInteger.valueOf(5).modInverse(P)).mod(P);
    BigInteger bx = recoverX(by, 0);
    BigInteger c = sqrt(A.add(TWO).negate().mod(P));
    if (c == null || bx == null) {
      throw new IllegalStateException("edwards25519 constants");
    }
    BigInteger u = montgomeryU(by);
    if (!c.multiply(u)
        .multiply(bx.modInverse(P))
        .mod(P)
        .equals(PARAMS.getG().normalize().getAffineYCoord().toBigInteger())) {
      c = P.subtract(c);
    }
    C = c;
    BASE = toWeierstrass(bx, by);
    if (!BASE.equals(PARAMS.getG())) {
      throw new IllegalStateException("edwards25519 base point does not map to curve25519's");
    }
  }

  private Edwards25519Reference() {}

  /** RFC 8032 section 5.1.3 decoding; null if the 32 bytes are not a canonical point encoding. */
  static ECPoint decode(byte[] encoded) {
    if (encoded.length != 32) {
      return null;
    }
    byte[] le = encoded.clone();
    int xSign = (le[31] >>> 7) & 1;
    le[31] &= 0x7f;
    BigInteger y = littleEndian(le);
    if (y.compareTo(P) >= 0) {
      return null;
    }
    BigInteger x = recoverX(y, xSign);
    return x == null ? null : toWeierstrass(x, y);
  }

  /** RFC 8032 section 5.1.2 encoding. */
  static byte[] encode(ECPoint point) {
    ECPoint n = point.normalize();
    BigInteger x;
    BigInteger y;
    if (n.isInfinity()) {
      x = BigInteger.ZERO;
      y = BigInteger.ONE;
    } else {
      BigInteger u = n.getAffineXCoord().toBigInteger().subtract(A_THIRD).mod(P);
      BigInteger v = n.getAffineYCoord().toBigInteger();
      if (v.signum() == 0) {
        // The point of order two, (0, -1) on the Edwards curve.
        x = BigInteger.ZERO;
        y = P.subtract(BigInteger.ONE);
      } else {
        x = C.multiply(u).multiply(v.modInverse(P)).mod(P);
        y = u.subtract(BigInteger.ONE).multiply(u.add(BigInteger.ONE).modInverse(P)).mod(P);
      }
    }
    byte[] out = toLittleEndian(y, 32);
    out[31] |= (byte) (x.testBit(0) ? 0x80 : 0);
    return out;
  }

  static BigInteger littleEndian(byte[] bytes) {
    byte[] be = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      be[i] = bytes[bytes.length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  static byte[] toLittleEndian(BigInteger value, int length) {
    byte[] out = new byte[length];
    byte[] be = value.toByteArray();
    for (int i = 0; i < length && i < be.length; i++) {
      out[i] = be[be.length - 1 - i];
    }
    return out;
  }

  private static BigInteger montgomeryU(BigInteger y) {
    return BigInteger.ONE.add(y).multiply(BigInteger.ONE.subtract(y).mod(P).modInverse(P)).mod(P);
  }

  private static ECPoint toWeierstrass(BigInteger x, BigInteger y) {
    if (x.signum() == 0) {
      // (0, 1) is the identity, (0, -1) the point of order two, (0, 0) in Montgomery form.
      return y.equals(BigInteger.ONE)
          ? CURVE.getInfinity()
          : CURVE.createPoint(A_THIRD, BigInteger.ZERO);
    }
    BigInteger u = montgomeryU(y);
    BigInteger v = C.multiply(u).multiply(x.modInverse(P)).mod(P);
    return CURVE.createPoint(u.add(A_THIRD).mod(P), v);
  }

  /** x with the given parity such that (x, y) is on the curve, or null (RFC 8032 section 5.1.3). */
  private static BigInteger recoverX(BigInteger y, int xSign) {
    BigInteger y2 = y.multiply(y).mod(P);
    BigInteger u = y2.subtract(BigInteger.ONE).mod(P);
    BigInteger v = D.multiply(y2).add(BigInteger.ONE).mod(P);
    BigInteger x = sqrtRatio(u, v);
    if (x == null) {
      return null;
    }
    if (x.signum() == 0 && xSign == 1) {
      return null;
    }
    if (x.testBit(0) != (xSign == 1)) {
      x = P.subtract(x);
    }
    return x;
  }

  private static BigInteger sqrtRatio(BigInteger u, BigInteger v) {
    BigInteger v3 = v.modPow(BigInteger.valueOf(3), P);
    BigInteger v7 = v3.multiply(v3).multiply(v).mod(P);
    BigInteger x =
        u.multiply(v3)
            .multiply(u.multiply(v7).modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P))
            .mod(P);
    BigInteger vx2 = v.multiply(x).multiply(x).mod(P);
    if (vx2.equals(u)) {
      return x;
    }
    if (vx2.equals(u.negate().mod(P))) {
      return x.multiply(SQRT_M1).mod(P);
    }
    return null;
  }

  private static BigInteger sqrt(BigInteger a) {
    return sqrtRatio(a, BigInteger.ONE);
  }
}
