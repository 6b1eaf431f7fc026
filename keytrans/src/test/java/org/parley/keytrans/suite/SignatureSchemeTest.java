package org.parley.keytrans.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Tree-head signatures: published vectors, round trips, and rejection that never throws. */
class SignatureSchemeTest {

  private static final HexFormat HEX = HexFormat.of();

  static Stream<SignatureScheme> schemes() {
    return Stream.of(
        CipherSuite.KT_128_SHA256_P256.signatureScheme(),
        CipherSuite.KT_128_SHA256_Ed25519.signatureScheme());
  }

  @Test
  void ed25519MatchesRfc8032Test1() {
    SignatureScheme ed = CipherSuite.KT_128_SHA256_Ed25519.signatureScheme();
    SignatureSecretKey sk =
        new SignatureSecretKey(
            HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    SignaturePublicKey pk = ed.publicKey(sk);
    assertThat(HEX.formatHex(pk.bytes()))
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    byte[] signature = ed.sign(sk, new byte[0]);
    assertThat(HEX.formatHex(signature))
        .isEqualTo(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
    assertThat(ed.verify(pk, new byte[0], signature)).isTrue();
  }

  @Test
  void ecdsaMatchesRfc6979P256Sha256Sample() {
    // RFC 6979 appendix A.2.5: P-256, SHA-256, message "sample"; r || s as fixed 32-byte halves.
    SignatureScheme ecdsa = CipherSuite.KT_128_SHA256_P256.signatureScheme();
    SignatureSecretKey sk =
        new SignatureSecretKey(
            HEX.parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"));
    SignaturePublicKey pk = ecdsa.publicKey(sk);
    assertThat(HEX.formatHex(pk.bytes()))
        .isEqualTo(
            "04"
                + "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299");
    byte[] message = "sample".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = ecdsa.sign(sk, message);
    assertThat(HEX.formatHex(signature))
        .isEqualTo(
            "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8");
    assertThat(ecdsa.verify(pk, message, signature)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void roundTripAndRejection(SignatureScheme scheme) {
    SecureRandom random = new SecureRandom();
    SignatureSecretKey sk = scheme.generateSecretKey(random);
    SignaturePublicKey pk = scheme.publicKey(sk);
    SignaturePublicKey otherPk = scheme.publicKey(scheme.generateSecretKey(random));
    byte[] message = "tree head".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = scheme.sign(sk, message);
    assertThat(signature).hasSize(scheme.signatureLength());
    assertThat(pk.bytes()).hasSize(scheme.publicKeyLength());
    assertThat(scheme.verify(pk, message, signature)).isTrue();
    assertThat(scheme.sign(sk, message)).isEqualTo(signature);

    assertThat(scheme.verify(otherPk, message, signature)).isFalse();
    assertThat(scheme.verify(pk, "tree heaD".getBytes(StandardCharsets.US_ASCII), signature))
        .isFalse();
    for (int i = 0; i < signature.length; i++) {
      byte[] bad = signature.clone();
      bad[i] ^= 0x01;
      assertThat(scheme.verify(pk, message, bad)).as("byte %d flipped", i).isFalse();
    }
    assertThat(scheme.verify(pk, message, new byte[0])).isFalse();
    assertThat(scheme.verify(pk, message, Arrays.copyOf(signature, signature.length + 1)))
        .isFalse();
    assertThat(scheme.verify(pk, message, new byte[scheme.signatureLength()])).isFalse();
    assertThat(scheme.verify(new SignaturePublicKey(new byte[3]), message, signature)).isFalse();
    assertThat(
            scheme.verify(
                new SignaturePublicKey(new byte[scheme.publicKeyLength()]), message, signature))
        .isFalse();
    assertThatThrownBy(() -> scheme.sign(new SignatureSecretKey(new byte[5]), message))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(sk.toString()).contains("REDACTED");
  }

  @Test
  void ecdsaRejectsScalarsOutsideTheRangeAndPointsOffTheCurve() {
    SignatureScheme ecdsa = CipherSuite.KT_128_SHA256_P256.signatureScheme();
    SignatureSecretKey sk = ecdsa.generateSecretKey(new SecureRandom());
    SignaturePublicKey pk = ecdsa.publicKey(sk);
    byte[] message = {1, 2, 3};
    byte[] signature = ecdsa.sign(sk, message);
    BigInteger n =
        new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    byte[] rPlusN = signature.clone();
    BigInteger r = new BigInteger(1, Arrays.copyOf(signature, 32)).add(n);
    if (r.bitLength() <= 256) {
      byte[] raw = r.toByteArray();
      byte[] fixed = new byte[32];
      System.arraycopy(raw, raw.length - 32, fixed, 0, 32);
      System.arraycopy(fixed, 0, rPlusN, 0, 32);
      assertThat(ecdsa.verify(pk, message, rPlusN)).isFalse();
    }
    byte[] offCurve = pk.bytes();
    offCurve[64] ^= 0x01;
    assertThat(ecdsa.verify(new SignaturePublicKey(offCurve), message, signature)).isFalse();
    byte[] compressed = Arrays.copyOf(pk.bytes(), 33);
    compressed[0] = 0x02;
    assertThat(ecdsa.verify(new SignaturePublicKey(compressed), message, signature)).isFalse();
  }

  @ParameterizedTest
  @MethodSource("schemes")
  void randomMutationsAreRejectedWithoutThrowing(SignatureScheme scheme) {
    SignatureSecretKey sk = scheme.generateSecretKey(new SecureRandom());
    SignaturePublicKey pk = scheme.publicKey(sk);
    byte[] message = "epoch 7".getBytes(StandardCharsets.US_ASCII);
    byte[] signature = scheme.sign(sk, message);
    Random random = new Random(8032);
    for (int i = 0; i < 2_000; i++) {
      byte[] sig = signature.clone();
      byte[] key = pk.bytes();
      if (random.nextBoolean()) {
        sig[random.nextInt(sig.length)] ^= (byte) (1 + random.nextInt(255));
      } else {
        key[random.nextInt(key.length)] ^= (byte) (1 + random.nextInt(255));
      }
      assertThat(scheme.verify(new SignaturePublicKey(key), message, sig)).isFalse();
    }
  }
}
