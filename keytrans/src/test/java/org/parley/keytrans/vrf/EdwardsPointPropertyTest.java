package org.parley.keytrans.vrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The extended-coordinate arithmetic ({@link EdwardsPoint}, {@link EdwardsMultiply}) equals the
 * reference (BouncyCastle's generic EC code on the Weierstrass form, {@link Edwards25519Reference})
 * on random scalars and points, including points outside the prime-order subgroup.
 */
class EdwardsPointPropertyTest {

  private static final BigInteger Q = EcVrfEdwards25519Sha512Tai.Q;

  /** A point of order 8 (RFC 8032's small-order list): adds a torsion component to a multiple. */
  private static final byte[] ORDER_EIGHT =
      HexFormat.of().parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");

  @Provide
  Arbitrary<BigInteger> scalars() {
    return Arbitraries.oneOf(
        Arbitraries.bigIntegers().between(BigInteger.ZERO, Q.subtract(BigInteger.ONE)),
        Arbitraries.bigIntegers()
            .between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE)),
        Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, Q.subtract(BigInteger.ONE), Q));
  }

  /** m*B, plus a point of order 8 when torsion is set: any point a decoder accepts. */
  private static ECPoint referencePoint(BigInteger m, boolean torsion) {
    ECPoint p = Edwards25519Reference.BASE.multiply(m);
    return torsion ? p.add(Edwards25519Reference.decode(ORDER_EIGHT)) : p;
  }

  private static EdwardsPoint fast(ECPoint reference) {
    return EdwardsPoint.decode(Edwards25519Reference.encode(reference));
  }

  @Property(tries = 300)
  void fixedBaseMultiplicationEqualsTheReference(@ForAll("scalars") BigInteger k) {
    byte[] expected = Edwards25519Reference.encode(Edwards25519Reference.BASE.multiply(k));
    assertThat(EdwardsMultiply.baseSecret(LittleEndian.toBytes(k, 32)).encode())
        .isEqualTo(expected);
  }

  @Property(tries = 200)
  void variableBaseMultiplicationEqualsTheReference(
      @ForAll("scalars") BigInteger m, @ForAll boolean torsion, @ForAll("scalars") BigInteger k) {
    ECPoint p = referencePoint(m, torsion);
    assertThat(EdwardsMultiply.secret(fast(p), LittleEndian.toBytes(k, 32)).encode())
        .isEqualTo(Edwards25519Reference.encode(p.multiply(k)));
  }

  @Property(tries = 200)
  void publicDifferenceEqualsTheReference(
      @ForAll("scalars") BigInteger s,
      @ForAll("scalars") BigInteger m1,
      @ForAll("scalars") BigInteger c,
      @ForAll("scalars") BigInteger m2,
      @ForAll boolean torsion) {
    ECPoint a = referencePoint(m1, torsion);
    ECPoint b = referencePoint(m2, !torsion);
    byte[] expected = Edwards25519Reference.encode(a.multiply(s).subtract(b.multiply(c)));
    assertThat(EdwardsMultiply.publicDifference(s, fast(a), c, fast(b)).encode())
        .isEqualTo(expected);
  }

  @Property(tries = 300)
  void groupLawAndCofactorEqualTheReference(
      @ForAll("scalars") BigInteger m1,
      @ForAll("scalars") BigInteger m2,
      @ForAll boolean torsion1,
      @ForAll boolean torsion2) {
    ECPoint a = referencePoint(m1, torsion1);
    ECPoint b = referencePoint(m2, torsion2);
    EdwardsPoint fa = fast(a);
    EdwardsPoint fb = fast(b);
    assertThat(fa.add(fb).encode()).isEqualTo(Edwards25519Reference.encode(a.add(b)));
    assertThat(fa.twice().encode()).isEqualTo(Edwards25519Reference.encode(a.twice()));
    assertThat(fa.negate().add(fb).encode()).isEqualTo(Edwards25519Reference.encode(b.subtract(a)));
    ECPoint eightA = a.multiply(BigInteger.valueOf(8));
    assertThat(fa.timesCofactor().encode()).isEqualTo(Edwards25519Reference.encode(eightA));
    assertThat(fa.timesCofactor().isIdentity()).isEqualTo(eightA.isInfinity());
  }

  /** Random strings: both decoders accept the same ones and agree on what they encode. */
  @Property(tries = 1000)
  void decodingEqualsTheReference(@ForAll @Size(32) byte[] encoded) {
    ECPoint reference = Edwards25519Reference.decode(encoded);
    EdwardsPoint point = EdwardsPoint.decode(encoded);
    if (reference == null) {
      assertThat(point).isNull();
    } else {
      assertThat(point).isNotNull();
      assertThat(point.encode()).isEqualTo(encoded);
    }
  }

  @Property(tries = 300)
  void wnafDigitsSumToTheScalar(@ForAll("scalars") BigInteger k) {
    byte[] digits = EdwardsMultiply.wnaf(k);
    BigInteger sum = BigInteger.ZERO;
    int lastNonZero = -5;
    for (int i = 0; i < digits.length; i++) {
      if (digits[i] != 0) {
        assertThat(digits[i] % 2).isNotZero();
        assertThat(i - lastNonZero).isGreaterThanOrEqualTo(5);
        lastNonZero = i;
      }
      sum = sum.add(BigInteger.valueOf(digits[i]).shiftLeft(i));
    }
    assertThat(sum).isEqualTo(k);
  }

  @Example
  void theTorsionPointHasOrderEight() {
    EdwardsPoint t = EdwardsPoint.decode(ORDER_EIGHT);
    assertThat(t.twice().twice().isIdentity()).isFalse();
    assertThat(t.timesCofactor().isIdentity()).isTrue();
  }

  /** Non-canonical encodings: y >= p, and x = 0 with the sign bit set ("negative zero"). */
  @Example
  void nonCanonicalEncodingsAreRejectedAsByTheReference() {
    HexFormat hex = HexFormat.of();
    for (String s :
        new String[] {
          "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p
          "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p + 1
          "0100000000000000000000000000000000000000000000000000000000000080", // identity, x = -0
          "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" // (-0, -1)
        }) {
      byte[] encoded = hex.parseHex(s);
      assertThat(Edwards25519Reference.decode(encoded)).as(s).isNull();
      assertThat(EdwardsPoint.decode(encoded)).as(s).isNull();
    }
    assertThat(EdwardsPoint.identity().encode())
        .isEqualTo(
            hex.parseHex("0100000000000000000000000000000000000000000000000000000000000000"));
  }
}
