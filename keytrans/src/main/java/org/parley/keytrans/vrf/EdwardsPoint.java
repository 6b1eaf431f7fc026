package org.parley.keytrans.vrf;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A point of edwards25519 (-x^2 + y^2 = 1 + d x^2 y^2) in extended coordinates (X : Y : Z : T), x =
 * X/Z, y = Y/Z, xy = T/Z, over BouncyCastle's radix-2^25.5 field arithmetic ({@link X25519Field}),
 * with the RFC 8032 encoding.
 *
 * <p>BouncyCastle keeps its own Ed25519 point arithmetic private, so the group law is written here
 * from the curve's formulas; the field arithmetic, inversion and square root are BouncyCastle's.
 * Addition uses the complete unified formulas for a = -1 (Hisil, Wong, Carter and Dawson 2008,
 * section 3.1): with d not a square they hold for every pair of points, doubling and the identity
 * included, which lets the secret-scalar multiplications run without a branch on the scalar.
 *
 * <p>Instances are never changed once returned to a caller; the in-place forms are for the
 * multiplication loops in {@link EdwardsMultiply} only.
 */
final class EdwardsPoint {

  static final BigInteger P = BigInteger.ONE.shiftLeft(255).subtract(BigInteger.valueOf(19));

  private static final int[] D = field(bigD());
  private static final int[] D2 = field(bigD().shiftLeft(1).mod(P));

  /** The RFC 8032 base point B. */
  static final EdwardsPoint BASE =
      decode(
          java.util.HexFormat.of()
              .parseHex("5866666666666666666666666666666666666666666666666666666666666666"));

  final int[] x;
  final int[] y;
  final int[] z;
  final int[] t;

  private EdwardsPoint(int[] x, int[] y, int[] z, int[] t) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.t = t;
  }

  static EdwardsPoint identity() {
    int[] one = X25519Field.create();
    X25519Field.one(one);
    int[] z = X25519Field.create();
    X25519Field.one(z);
    return new EdwardsPoint(X25519Field.create(), one, z, X25519Field.create());
  }

  EdwardsPoint copy() {
    return new EdwardsPoint(x.clone(), y.clone(), z.clone(), t.clone());
  }

  /** RFC 8032 section 5.1.3; null if the 32 bytes are not the canonical encoding of a point. */
  static EdwardsPoint decode(byte[] encoded) {
    if (encoded.length != 32) {
      return null;
    }
    int xSign = (encoded[31] >>> 7) & 1;
    int[] y = X25519Field.create();
    X25519Field.decode(encoded, y); // reads the low 255 bits
    X25519Field.normalize(y);
    byte[] canonical = new byte[32];
    X25519Field.encode(y, canonical);
    canonical[31] |= (byte) (xSign << 7);
    if (!Arrays.equals(canonical, encoded)) {
      return null; // y >= p
    }
    int[] y2 = X25519Field.create();
    X25519Field.sqr(y, y2);
    int[] u = X25519Field.create();
    X25519Field.copy(y2, 0, u, 0);
    X25519Field.subOne(u);
    int[] v = X25519Field.create();
    X25519Field.mul(y2, D, v);
    X25519Field.addOne(v);
    X25519Field.carry(u);
    X25519Field.carry(v);
    int[] x = X25519Field.create();
    if (!X25519Field.sqrtRatioVar(u, v, x)) {
      return null;
    }
    X25519Field.normalize(x);
    boolean zero = X25519Field.isZeroVar(x);
    if (zero && xSign == 1) {
      return null;
    }
    if ((x[0] & 1) != xSign) {
      X25519Field.negate(x, x);
      canonical(x);
    }
    int[] z = X25519Field.create();
    X25519Field.one(z);
    int[] t = X25519Field.create();
    X25519Field.mul(x, y, t);
    return new EdwardsPoint(x, y, z, t);
  }

  /** RFC 8032 section 5.1.2, with a constant-time inversion (the point may derive from secrets). */
  byte[] encode() {
    int[] zInv = X25519Field.create();
    X25519Field.inv(z, zInv);
    int[] ax = X25519Field.create();
    int[] ay = X25519Field.create();
    X25519Field.mul(x, zInv, ax);
    X25519Field.mul(y, zInv, ay);
    canonical(ax);
    canonical(ay);
    byte[] out = new byte[32];
    X25519Field.encode(ay, out);
    out[31] |= (byte) ((ax[0] & 1) << 7);
    return out;
  }

  boolean isIdentity() {
    int[] d = X25519Field.create();
    X25519Field.sub(y, z, d);
    canonical(d);
    int[] nx = x.clone();
    canonical(nx);
    return X25519Field.isZeroVar(nx) && X25519Field.isZeroVar(d);
  }

  /** Reduces a (possibly negative-limbed) element in place to its canonical limbs below p. */
  private static void canonical(int[] a) {
    X25519Field.carry(a);
    X25519Field.normalize(a);
  }

  EdwardsPoint negate() {
    EdwardsPoint r = copy();
    X25519Field.negate(r.x, r.x);
    X25519Field.negate(r.t, r.t);
    return r;
  }

  EdwardsPoint add(EdwardsPoint other) {
    EdwardsPoint r = copy();
    addInPlace(r, other, new Scratch());
    return r;
  }

  EdwardsPoint twice() {
    EdwardsPoint r = copy();
    doubleInPlace(r, new Scratch());
    return r;
  }

  /** 8 * this: three doublings (ECVRF's cofactor). */
  EdwardsPoint timesCofactor() {
    EdwardsPoint r = copy();
    Scratch w = new Scratch();
    doubleInPlace(r, w);
    doubleInPlace(r, w);
    doubleInPlace(r, w);
    return r;
  }

  /** Temporaries for {@link #addInPlace} and {@link #doubleInPlace}, one set per loop. */
  static final class Scratch {
    final int[] a = X25519Field.create();
    final int[] b = X25519Field.create();
    final int[] c = X25519Field.create();
    final int[] d = X25519Field.create();
    final int[] e = X25519Field.create();
    final int[] f = X25519Field.create();
    final int[] g = X25519Field.create();
    final int[] h = X25519Field.create();
  }

  /** r = r + q: the unified "add-2008-hwcd-3" formulas, complete for a = -1. */
  static void addInPlace(EdwardsPoint r, EdwardsPoint q, Scratch w) {
    int[] a = w.a;
    int[] b = w.b;
    int[] c = w.c;
    int[] d = w.d;
    int[] e = w.e;
    int[] f = w.f;
    int[] g = w.g;
    int[] h = w.h;
    X25519Field.sub(r.y, r.x, a);
    X25519Field.sub(q.y, q.x, e);
    X25519Field.mul(a, e, a);
    X25519Field.add(r.y, r.x, b);
    X25519Field.add(q.y, q.x, e);
    X25519Field.mul(b, e, b);
    X25519Field.mul(r.t, q.t, c);
    X25519Field.mul(c, D2, c);
    X25519Field.mul(r.z, q.z, d);
    X25519Field.add(d, d, d);
    X25519Field.sub(b, a, e);
    X25519Field.sub(d, c, f);
    X25519Field.add(d, c, g);
    X25519Field.add(b, a, h);
    X25519Field.carry(f); // d was doubled before: three terms deep
    X25519Field.carry(g);
    X25519Field.mul(e, f, r.x);
    X25519Field.mul(g, h, r.y);
    X25519Field.mul(e, h, r.t);
    X25519Field.mul(f, g, r.z);
  }

  /** r = 2r: "dbl-2008-hwcd" with a = -1. */
  static void doubleInPlace(EdwardsPoint r, Scratch w) {
    int[] a = w.a;
    int[] b = w.b;
    int[] c = w.c;
    int[] e = w.e;
    int[] f = w.f;
    int[] g = w.g;
    int[] h = w.h;
    X25519Field.sqr(r.x, a);
    X25519Field.sqr(r.y, b);
    X25519Field.sqr(r.z, c);
    X25519Field.add(c, c, c);
    X25519Field.add(r.x, r.y, e);
    X25519Field.sqr(e, e);
    X25519Field.sub(e, a, e);
    X25519Field.sub(e, b, e);
    X25519Field.carry(e);
    X25519Field.sub(b, a, g); // D + B with D = aA = -A
    X25519Field.sub(g, c, f);
    X25519Field.carry(f);
    X25519Field.add(a, b, h);
    X25519Field.negate(h, h); // D - B = -A - B
    X25519Field.mul(e, f, r.x);
    X25519Field.mul(g, h, r.y);
    X25519Field.mul(e, h, r.t);
    X25519Field.mul(f, g, r.z);
  }

  /** Overwrites r with q when mask is -1, leaves it when 0, with no branch on mask. */
  static void select(EdwardsPoint r, EdwardsPoint q, int mask) {
    for (int i = 0; i < X25519Field.SIZE; i++) {
      r.x[i] ^= (r.x[i] ^ q.x[i]) & mask;
      r.y[i] ^= (r.y[i] ^ q.y[i]) & mask;
      r.z[i] ^= (r.z[i] ^ q.z[i]) & mask;
      r.t[i] ^= (r.t[i] ^ q.t[i]) & mask;
    }
  }

  private static BigInteger bigD() {
    return BigInteger.valueOf(-121665).multiply(BigInteger.valueOf(121666).modInverse(P)).mod(P);
  }

  private static int[] field(BigInteger value) {
    int[] f = X25519Field.create();
    X25519Field.decode(LittleEndian.toBytes(value, 32), f);
    return f;
  }
}
