package org.parley.keytrans.vrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The Edwards/Weierstrass bridge preserves the RFC 8032 encoding and the group law. */
class Edwards25519Test {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void baseIdentityAndOrderTwoPointEncodeAsInRfc8032() {
    assertThat(HEX.formatHex(Edwards25519Reference.encode(Edwards25519Reference.BASE)))
        .isEqualTo("5866666666666666666666666666666666666666666666666666666666666666");
    assertThat(
            HEX.formatHex(Edwards25519Reference.encode(Edwards25519Reference.CURVE.getInfinity())))
        .isEqualTo("0100000000000000000000000000000000000000000000000000000000000000");
    byte[] orderTwo =
        HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    assertThat(Edwards25519Reference.encode(Edwards25519Reference.decode(orderTwo)))
        .isEqualTo(orderTwo);
    assertThat(Edwards25519Reference.decode(orderTwo).twice().isInfinity()).isTrue();
    assertThat(Edwards25519Reference.BASE.multiply(Edwards25519Reference.Q).isInfinity()).isTrue();
  }

  @Test
  void decodeThenEncodeIsTheIdentityOnMultiplesOfTheBase() {
    for (int i = 1; i < 200; i++) {
      byte[] encoded =
          Edwards25519Reference.encode(Edwards25519Reference.BASE.multiply(BigInteger.valueOf(i)));
      assertThat(Edwards25519Reference.encode(Edwards25519Reference.decode(encoded)))
          .isEqualTo(encoded);
      assertThat(Edwards25519Reference.decode(encoded).isValid()).isTrue();
    }
  }
}
