package org.parley.keytrans.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.vrf.VrfException;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfPublicKey;
import org.parley.keytrans.vrf.VrfSecretKey;

/** The two suites carry the draft's code points and parameters. */
class CipherSuiteTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void codePointsNamesAndLookup() {
    assertThat(CipherSuite.KT_128_SHA256_P256.id()).isEqualTo(0x0001);
    assertThat(CipherSuite.KT_128_SHA256_Ed25519.id()).isEqualTo(0x0002);
    assertThat(CipherSuite.KT_128_SHA256_P256.name()).isEqualTo("KT_128_SHA256_P256");
    assertThat(CipherSuite.KT_128_SHA256_Ed25519.name()).isEqualTo("KT_128_SHA256_Ed25519");
    assertThat(CipherSuite.byId(1)).containsSame(CipherSuite.KT_128_SHA256_P256);
    assertThat(CipherSuite.byId(2)).containsSame(CipherSuite.KT_128_SHA256_Ed25519);
    assertThat(CipherSuite.byId(0)).isEmpty();
    assertThat(CipherSuite.byId(0xF000)).isEmpty();
    assertThat(CipherSuite.defaultSuite()).isSameAs(CipherSuite.KT_128_SHA256_Ed25519);
  }

  @Test
  void parametersMatchTheRegistry() {
    for (CipherSuite suite :
        new CipherSuite[] {CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519}) {
      assertThat(suite.hashLength()).isEqualTo(32);
      assertThat(suite.vrfOutputLength()).isEqualTo(32);
      assertThat(suite.commitmentOpeningLength()).isEqualTo(16);
      assertThat(HEX.formatHex(suite.commitmentKey()))
          .isEqualTo("d821f8790d97709796b4d7903357c3f5");
      assertThat(HEX.formatHex(suite.hash("abc".getBytes(StandardCharsets.US_ASCII))))
          .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
      assertThat(HEX.formatHex(suite.hash("a".getBytes(), "bc".getBytes())))
          .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
    assertThat(CipherSuite.KT_128_SHA256_P256.vrfProofLength()).isEqualTo(81);
    assertThat(CipherSuite.KT_128_SHA256_Ed25519.vrfProofLength()).isEqualTo(80);
    assertThat(CipherSuite.KT_128_SHA256_P256.vrf().name()).isEqualTo("ECVRF-P256-SHA256-TAI");
    assertThat(CipherSuite.KT_128_SHA256_Ed25519.vrf().name())
        .isEqualTo("ECVRF-EDWARDS25519-SHA512-TAI");
    assertThat(CipherSuite.KT_128_SHA256_P256.signatureScheme().publicKeyLength()).isEqualTo(65);
    assertThat(CipherSuite.KT_128_SHA256_P256.signatureScheme().signatureLength()).isEqualTo(64);
    assertThat(CipherSuite.KT_128_SHA256_Ed25519.signatureScheme().publicKeyLength()).isEqualTo(32);
    assertThat(CipherSuite.KT_128_SHA256_Ed25519.signatureScheme().signatureLength()).isEqualTo(64);
  }

  @Test
  void ed25519SuiteTruncatesTheVrfOutputTo32Bytes() throws VrfException {
    // RFC 9381 appendix B.3, example 17.
    byte[] pk = HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    byte[] pi =
        HEX.parseHex(
            "f3141cd382dc42909d19ec5110469e4feae18300e94f304590abdced48aed593"
                + "3bf0864a62558b3ed7f2fea45c92a465301b3bbf5e3e54ddf2d935be3b67926d"
                + "a3ef39226bbc355bdc9850112c8f4b02");
    byte[] beta =
        HEX.parseHex(
            "eb4440665d3891d668e7e0fcaf587f1b4bd7fbfe99d0eb2211ccec90496310eb"
                + "5e33821bc613efb94db5e5b54c70a848a0bef4553a41befc57663b56373a5031");
    CipherSuite suite = CipherSuite.KT_128_SHA256_Ed25519;
    byte[] output = suite.verifyVrf(new VrfPublicKey(pk), new byte[] {0x72}, new VrfProof(pi));
    assertThat(output).isEqualTo(Arrays.copyOf(beta, 32));
    assertThat(suite.vrfOutput(new VrfProof(pi))).isEqualTo(output);
    assertThatThrownBy(
            () -> suite.verifyVrf(new VrfPublicKey(pk), new byte[] {0x73}, new VrfProof(pi)))
        .isExactlyInstanceOf(VrfException.class);
  }

  @Test
  void p256SuiteKeepsTheWholeVrfOutput() throws VrfException {
    CipherSuite suite = CipherSuite.KT_128_SHA256_P256;
    VrfSecretKey sk =
        new VrfSecretKey(
            HEX.parseHex("c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"));
    byte[] alpha = "sample".getBytes(StandardCharsets.US_ASCII);
    VrfProof proof = suite.vrf().prove(sk, alpha);
    assertThat(HEX.formatHex(suite.verifyVrf(suite.vrf().publicKey(sk), alpha, proof)))
        .isEqualTo("a3ad7b0ef73d8fc6655053ea22f9bede8c743f08bbed3d38821f0e16474b505e");
  }
}
