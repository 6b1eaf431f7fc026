package org.parley.keytrans.vrf;

import java.math.BigInteger;

/**
 * Scalar multiplication on edwards25519 for the ECVRF: fixed-window multiplications whose sequence
 * of operations and table reads does not depend on a secret scalar (proving), and an interleaved
 * wNAF double multiplication for the public scalars of verification.
 *
 * <p>Proving multiplies secret scalars (the VRF key x and the nonce k) by B and by H. Each window
 * reads every entry of its table and keeps the wanted one by masking, and the complete addition law
 * ({@link EdwardsPoint#addInPlace}) needs no special case for the identity, so a window of zeros
 * costs the same as any other. Verification computes s*B - c*Y and s*H - c*Gamma from the proof and
 * the public key only, where speed may depend on the scalars.
 */
final class EdwardsMultiply {

  private static final int WINDOWS = 64; // 4-bit windows of a 256-bit scalar

  /** BASE_TABLE[j][i] = i * 16^j * B: k*B is one table read and one addition per window. */
  private static final EdwardsPoint[][] BASE_TABLE = baseTable();

  private static final int WNAF_WIDTH = 5;

  private EdwardsMultiply() {}

  /** k*B for a secret 32-byte little-endian scalar k. */
  static EdwardsPoint baseSecret(byte[] scalar) {
    EdwardsPoint r = EdwardsPoint.identity();
    EdwardsPoint.Scratch w = new EdwardsPoint.Scratch();
    EdwardsPoint selected = EdwardsPoint.identity();
    for (int j = 0; j < WINDOWS; j++) {
      lookup(BASE_TABLE[j], nibble(scalar, j), selected);
      EdwardsPoint.addInPlace(r, selected, w);
    }
    return r;
  }

  /** k*P for a secret 32-byte little-endian scalar k and any point P. */
  static EdwardsPoint secret(EdwardsPoint point, byte[] scalar) {
    EdwardsPoint[] table = multiples(point);
    EdwardsPoint r = EdwardsPoint.identity();
    EdwardsPoint.Scratch w = new EdwardsPoint.Scratch();
    EdwardsPoint selected = EdwardsPoint.identity();
    for (int j = WINDOWS - 1; j >= 0; j--) {
      for (int d = 0; d < 4; d++) {
        EdwardsPoint.doubleInPlace(r, w);
      }
      lookup(table, nibble(scalar, j), selected);
      EdwardsPoint.addInPlace(r, selected, w);
    }
    return r;
  }

  /** s*A - c*B for public scalars 0 <= s, c < 2^256 (variable time). */
  static EdwardsPoint publicDifference(BigInteger s, EdwardsPoint a, BigInteger c, EdwardsPoint b) {
    byte[] ds = wnaf(s);
    byte[] dc = wnaf(c);
    EdwardsPoint[] oddA = oddMultiples(a);
    EdwardsPoint[] oddB = oddMultiples(b);
    EdwardsPoint[] negA = negations(oddA);
    EdwardsPoint[] negB = negations(oddB);
    int top = ds.length - 1;
    while (top >= 0 && ds[top] == 0 && dc[top] == 0) {
      top--;
    }
    EdwardsPoint r = EdwardsPoint.identity();
    EdwardsPoint.Scratch w = new EdwardsPoint.Scratch();
    for (int i = top; i >= 0; i--) {
      EdwardsPoint.doubleInPlace(r, w);
      if (ds[i] > 0) {
        EdwardsPoint.addInPlace(r, oddA[ds[i] >> 1], w);
      } else if (ds[i] < 0) {
        EdwardsPoint.addInPlace(r, negA[-ds[i] >> 1], w);
      }
      if (dc[i] > 0) {
        EdwardsPoint.addInPlace(r, negB[dc[i] >> 1], w); // the minus of -c*B
      } else if (dc[i] < 0) {
        EdwardsPoint.addInPlace(r, oddB[-dc[i] >> 1], w);
      }
    }
    return r;
  }

  /** Window j (0 = least significant) of a little-endian scalar. */
  private static int nibble(byte[] scalar, int j) {
    return (scalar[j >> 1] >>> ((j & 1) << 2)) & 0x0f;
  }

  /** Sets out to table[index], reading every entry so the index does not show in memory access. */
  private static void lookup(EdwardsPoint[] table, int index, EdwardsPoint out) {
    for (int i = 0; i < table.length; i++) {
      int mask = ((i ^ index) - 1) >> 31; // -1 where i == index, else 0
      EdwardsPoint.select(out, table[i], mask);
    }
  }

  /** 0*P, 1*P, ..., 15*P. */
  private static EdwardsPoint[] multiples(EdwardsPoint point) {
    EdwardsPoint[] table = new EdwardsPoint[16];
    table[0] = EdwardsPoint.identity();
    // a handful of additions per table: the temporaries' allocation does not matter here
    table[1] = point.copy();
    for (int i = 2; i < 16; i++) {
      table[i] = (i & 1) == 0 ? table[i >> 1].twice() : table[i - 1].add(point);
    }
    return table;
  }

  private static EdwardsPoint[][] baseTable() {
    EdwardsPoint[][] table = new EdwardsPoint[WINDOWS][];
    EdwardsPoint p = EdwardsPoint.BASE;
    for (int j = 0; j < WINDOWS; j++) {
      table[j] = multiples(p);
      p = table[j][8].twice(); // 16 * 16^j * B
    }
    return table;
  }

  /** P, 3P, 5P, ..., (2^(w-1) - 1)P: index i holds (2i + 1)P. */
  private static EdwardsPoint[] oddMultiples(EdwardsPoint point) {
    EdwardsPoint[] odd = new EdwardsPoint[1 << (WNAF_WIDTH - 2)];
    EdwardsPoint twice = point.twice();
    odd[0] = point.copy();
    for (int i = 1; i < odd.length; i++) {
      odd[i] = odd[i - 1].add(twice);
    }
    return odd;
  }

  private static EdwardsPoint[] negations(EdwardsPoint[] points) {
    EdwardsPoint[] out = new EdwardsPoint[points.length];
    for (int i = 0; i < points.length; i++) {
      out[i] = points[i].negate();
    }
    return out;
  }

  /**
   * The width-5 non-adjacent form of 0 <= k < 2^256: digits odd in (-16, 16) or zero, at most one
   * non-zero in any 5 consecutive positions, sum of digit[i] * 2^i equal to k.
   */
  static byte[] wnaf(BigInteger k) {
    if (k.signum() < 0 || k.bitLength() > 256) {
      throw new IllegalArgumentException("scalar out of range");
    }
    byte[] le = LittleEndian.toBytes(k, 32);
    int[] n = new int[9];
    for (int i = 0; i < 32; i++) {
      n[i >> 2] |= (le[i] & 0xff) << ((i & 3) << 3);
    }
    byte[] digits = new byte[258];
    int width = 1 << WNAF_WIDTH;
    for (int i = 0; !isZero(n); i++) {
      if ((n[0] & 1) != 0) {
        int d = n[0] & (width - 1);
        if (d >= width / 2) {
          d -= width;
        }
        digits[i] = (byte) d;
        subtract(n, d);
      }
      shiftRight(n);
    }
    return digits;
  }

  private static boolean isZero(int[] n) {
    for (int w : n) {
      if (w != 0) {
        return false;
      }
    }
    return true;
  }

  /** n -= d for a small signed d, little-endian 32-bit words. */
  private static void subtract(int[] n, int d) {
    long carry = -d;
    for (int i = 0; i < n.length && carry != 0; i++) {
      long v = (n[i] & 0xffffffffL) + carry;
      n[i] = (int) v;
      carry = v >> 32;
    }
  }

  private static void shiftRight(int[] n) {
    for (int i = 0; i < n.length - 1; i++) {
      n[i] = (n[i] >>> 1) | (n[i + 1] << 31);
    }
    n[n.length - 1] >>>= 1;
  }
}
