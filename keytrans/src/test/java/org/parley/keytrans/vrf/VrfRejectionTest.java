package org.parley.keytrans.vrf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Verification rejects every malformed or wrong input with VrfException and nothing else. */
class VrfRejectionTest {

  private static final HexFormat HEX = HexFormat.of();
  private static final BigInteger ED25519_Q =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
  private static final BigInteger P256_Q =
      new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

  record Case(Vrf vrf, List<Rfc9381Vectors> vectors, BigInteger q, boolean littleEndian) {
    Rfc9381Vectors first() {
      return vectors.get(0);
    }

    int ptLen() {
      return vrf.proofLength() - 16 - 32;
    }

    byte[] scalar(BigInteger value) {
      byte[] be = new byte[32];
      byte[] raw = value.toByteArray();
      int n = Math.min(raw.length, 32);
      System.arraycopy(raw, raw.length - n, be, 32 - n, n);
      if (littleEndian) {
        for (int i = 0; i < 16; i++) {
          byte t = be[i];
          be[i] = be[31 - i];
          be[31 - i] = t;
        }
      }
      return be;
    }

    @Override
    public String toString() {
      return vrf.name();
    }
  }

  static Stream<Arguments> suites() {
    return Stream.of(
        Arguments.of(new Case(new EcVrfP256Sha256Tai(), Rfc9381VectorTest.P256, P256_Q, false)),
        Arguments.of(
            new Case(
                new EcVrfEdwards25519Sha512Tai(), Rfc9381VectorTest.ED25519, ED25519_Q, true)));
  }

  private static void assertRejected(Vrf vrf, byte[] pk, byte[] alpha, byte[] pi) {
    assertThatThrownBy(() -> vrf.verify(new VrfPublicKey(pk), alpha, new VrfProof(pi)))
        .isExactlyInstanceOf(VrfException.class);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void flippingAnyBitOfAnyProofByteIsRejected(Case c) {
    for (Rfc9381Vectors v : c.vectors()) {
      for (int i = 0; i < v.pi().length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] pi = v.pi().clone();
          pi[i] ^= (byte) (1 << bit);
          assertRejected(c.vrf(), v.pk(), v.alpha(), pi);
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void wrongAlphaAndWrongKeyAreRejected(Case c) {
    Rfc9381Vectors a = c.vectors().get(0);
    Rfc9381Vectors b = c.vectors().get(2);
    assertRejected(c.vrf(), a.pk(), b.alpha(), a.pi());
    assertRejected(c.vrf(), a.pk(), (HEX.formatHex(a.alpha()) + "x").getBytes(), a.pi());
    assertRejected(c.vrf(), b.pk(), a.alpha(), a.pi());
  }

  @ParameterizedTest
  @MethodSource("suites")
  void wrongLengthsAreRejected(Case c) {
    Rfc9381Vectors v = c.first();
    assertRejected(c.vrf(), v.pk(), v.alpha(), new byte[0]);
    assertRejected(c.vrf(), v.pk(), v.alpha(), Arrays.copyOf(v.pi(), v.pi().length - 1));
    assertRejected(c.vrf(), v.pk(), v.alpha(), Arrays.copyOf(v.pi(), v.pi().length + 1));
    assertRejected(c.vrf(), new byte[0], v.alpha(), v.pi());
    assertRejected(c.vrf(), Arrays.copyOf(v.pk(), v.pk().length - 1), v.alpha(), v.pi());
    assertRejected(c.vrf(), Arrays.copyOf(v.pk(), v.pk().length + 1), v.alpha(), v.pi());
    assertThatThrownBy(() -> c.vrf().proofToHash(new VrfProof(new byte[3])))
        .isExactlyInstanceOf(VrfException.class);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void scalarNotBelowTheGroupOrderIsRejected(Case c) {
    Rfc9381Vectors v = c.first();
    int sAt = c.ptLen() + 16;
    for (BigInteger s :
        List.of(
            c.q(),
            c.q().add(BigInteger.ONE),
            // s + q: the same residue, so only the range check can reject it.
            new BigInteger(1, sBigEndian(c, v.pi())).add(c.q()),
            BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))) {
      if (s.bitLength() > 256) {
        continue;
      }
      byte[] pi = v.pi().clone();
      System.arraycopy(c.scalar(s), 0, pi, sAt, 32);
      assertRejected(c.vrf(), v.pk(), v.alpha(), pi);
    }
  }

  private static byte[] sBigEndian(Case c, byte[] pi) {
    byte[] s = Arrays.copyOfRange(pi, c.ptLen() + 16, pi.length);
    if (c.littleEndian()) {
      for (int i = 0; i < 16; i++) {
        byte t = s[i];
        s[i] = s[31 - i];
        s[31 - i] = t;
      }
    }
    return s;
  }

  @Test
  void edwardsNonCanonicalOffCurveAndSmallOrderPointsAreRejected() {
    Vrf vrf = new EcVrfEdwards25519Sha512Tai();
    Rfc9381Vectors v = Rfc9381VectorTest.ED25519.get(0);
    List<String> badPoints =
        List.of(
            // y = p (non-canonical encoding of y = 0)
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // y = p + 1 (non-canonical encoding of the identity)
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // y = 2^255 - 1
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            // identity with the x sign bit set: x = 0 cannot be negative
            "0100000000000000000000000000000000000000000000000000000000000080",
            // y = 2: no x on the curve
            "0200000000000000000000000000000000000000000000000000000000000000");
    for (String bad : badPoints) {
      byte[] point = HEX.parseHex(bad);
      byte[] pi = v.pi().clone();
      System.arraycopy(point, 0, pi, 0, 32);
      assertRejected(vrf, v.pk(), v.alpha(), pi);
      assertRejected(vrf, point, v.alpha(), v.pi());
    }
    List<String> smallOrderKeys =
        List.of(
            // identity, the point of order 2, and points of order 4 and 8
            "0100000000000000000000000000000000000000000000000000000000000000",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0000000000000000000000000000000000000000000000000000000000000080",
            "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
    for (String key : smallOrderKeys) {
      assertThatThrownBy(
              () ->
                  vrf.verify(new VrfPublicKey(HEX.parseHex(key)), v.alpha(), new VrfProof(v.pi())))
          .isExactlyInstanceOf(VrfException.class)
          .hasMessageContaining("small order");
    }
  }

  @Test
  void p256InvalidPointsAreRejected() {
    Vrf vrf = new EcVrfP256Sha256Tai();
    Rfc9381Vectors v = Rfc9381VectorTest.P256.get(0);
    byte[] xTooBig = new byte[33];
    Arrays.fill(xTooBig, (byte) 0xff);
    xTooBig[0] = 0x02;
    byte[] infinity = new byte[33];
    byte[] uncompressedPrefix = v.pk().clone();
    uncompressedPrefix[0] = 0x04;
    byte[] xOffCurve = new byte[33];
    xOffCurve[0] = 0x02;
    xOffCurve[32] = 0x05; // x = 5: x^3 - 3x + b is not a square mod p
    for (byte[] point : List.of(xTooBig, infinity, uncompressedPrefix, xOffCurve)) {
      byte[] pi = v.pi().clone();
      System.arraycopy(point, 0, pi, 0, 33);
      assertRejected(vrf, v.pk(), v.alpha(), pi);
      assertRejected(vrf, point, v.alpha(), v.pi());
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void randomMutationsOnlyEverThrowVrfException(Case c) {
    Random random = new Random(9381);
    int rejected = 0;
    for (int i = 0; i < 2_000; i++) {
      Rfc9381Vectors v = c.vectors().get(random.nextInt(c.vectors().size()));
      byte[] pk = v.pk();
      byte[] alpha = v.alpha();
      byte[] pi = v.pi();
      switch (random.nextInt(4)) {
        case 0 -> pi = mutate(random, pi);
        case 1 -> pk = mutate(random, pk);
        case 2 -> alpha = mutate(random, alpha);
        default -> {
          pi = mutate(random, pi);
          pk = mutate(random, pk);
        }
      }
      boolean changed =
          !Arrays.equals(pk, v.pk())
              || !Arrays.equals(alpha, v.alpha())
              || !Arrays.equals(pi, v.pi());
      try {
        byte[] beta = c.vrf().verify(new VrfPublicKey(pk), alpha, new VrfProof(pi));
        if (changed) {
          fail(
              "mutated input verified: pk=%s alpha=%s pi=%s",
              HEX.formatHex(pk), HEX.formatHex(alpha), HEX.formatHex(pi));
        }
        assertThat(beta).isEqualTo(v.beta());
      } catch (VrfException expected) {
        rejected++;
      } catch (RuntimeException e) {
        throw new AssertionError(
            "verify threw " + e + " for pk=" + HEX.formatHex(pk) + " pi=" + HEX.formatHex(pi), e);
      }
      try {
        c.vrf().proofToHash(new VrfProof(pi));
      } catch (VrfException expected) {
        // a malformed proof
      }
    }
    assertThat(rejected).isGreaterThan(1_900);
  }

  private static byte[] mutate(Random random, byte[] in) {
    int kind = in.length == 0 ? 2 : random.nextInt(5);
    byte[] out = in.clone();
    switch (kind) {
      case 0 -> out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> out[random.nextInt(out.length)] = (byte) random.nextInt(256);
      case 2 -> {
        out = Arrays.copyOf(in, in.length + 1 + random.nextInt(3));
        out[out.length - 1] = (byte) random.nextInt(256);
      }
      case 3 -> out = Arrays.copyOf(in, random.nextInt(in.length));
      default -> {
        for (int j = 0; j < 1 + random.nextInt(4); j++) {
          out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        }
      }
    }
    return out;
  }
}
