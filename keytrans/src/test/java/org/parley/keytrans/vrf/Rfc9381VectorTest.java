package org.parley.keytrans.vrf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every RFC 9381 test vector of the two TAI suites (appendix B.1 and B.3). */
class Rfc9381VectorTest {

  static final List<Rfc9381Vectors> P256 = Rfc9381Vectors.load("ecvrf-p256-sha256-tai.txt");
  static final List<Rfc9381Vectors> ED25519 =
      Rfc9381Vectors.load("ecvrf-edwards25519-sha512-tai.txt");

  static Stream<Arguments> vectors() {
    return Stream.concat(
        P256.stream().map(v -> Arguments.of(new EcVrfP256Sha256Tai(), v)),
        ED25519.stream().map(v -> Arguments.of(new EcVrfEdwards25519Sha512Tai(), v)));
  }

  @Test
  void everyVectorOfBothSuitesIsLoaded() {
    assertThat(P256).extracting(Rfc9381Vectors::example).containsExactly("10", "11", "12");
    assertThat(ED25519).extracting(Rfc9381Vectors::example).containsExactly("16", "17", "18");
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("vectors")
  void publicKeyFromSecretKey(Vrf vrf, Rfc9381Vectors v) {
    assertThat(vrf.publicKey(new VrfSecretKey(v.sk())).bytes()).isEqualTo(v.pk());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("vectors")
  void proveGivesExactlyThePublishedProof(Vrf vrf, Rfc9381Vectors v) throws VrfException {
    VrfProof proof = vrf.prove(new VrfSecretKey(v.sk()), v.alpha());
    assertThat(proof.bytes()).isEqualTo(v.pi());
    assertThat(vrf.proofToHash(proof)).isEqualTo(v.beta());
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("vectors")
  void verifyAcceptsThePublishedProof(Vrf vrf, Rfc9381Vectors v) throws VrfException {
    byte[] beta = vrf.verify(new VrfPublicKey(v.pk()), v.alpha(), new VrfProof(v.pi()));
    assertThat(beta).isEqualTo(v.beta());
    assertThat(beta).hasSize(vrf.outputLength());
    assertThat(v.pi()).hasSize(vrf.proofLength());
  }
}
