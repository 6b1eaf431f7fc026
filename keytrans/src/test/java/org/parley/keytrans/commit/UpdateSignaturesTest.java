package org.parley.keytrans.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;

/** The Service Operator's UpdateTBS signature in thirdPartyManagement mode, on both suites. */
class UpdateSignaturesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Label ALICE = new Label("alice".getBytes(StandardCharsets.US_ASCII));

  static Stream<CipherSuite> suites() {
    return Stream.of(CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void signVerifyAndReject(CipherSuite suite) throws Exception {
    SignatureScheme scheme = suite.signatureScheme();
    SignatureSecretKey managerKey = scheme.generateSecretKey(RANDOM);
    SignatureSecretKey leafKey = scheme.generateSecretKey(RANDOM);
    Configuration config =
        new Configuration(
            suite,
            scheme.publicKey(managerKey),
            suite.vrf().publicKey(suite.vrf().generateSecretKey(RANDOM)),
            new ModeParameters.ThirdPartyManagement(scheme.publicKey(leafKey)),
            1,
            2,
            3,
            OptionalLong.empty());
    byte[] value = {1, 2, 3};
    assertThat(HexFormat.of().formatHex(UpdateSignatures.toBeSigned(config, ALICE, 3, value)))
        .isEqualTo(
            HexFormat.of().formatHex(config.encode())
                + "05616c696365"
                + "00000003"
                + "00000003"
                + "010203");
    UpdateValue update = UpdateSignatures.sign(leafKey, config, ALICE, 3, value);
    UpdateSignatures.verify(config, ALICE, 3, update);

    assertInvalid(config, ALICE, 4, update);
    assertInvalid(config, new Label(new byte[] {1}), 3, update);
    assertInvalid(config, ALICE, 3, UpdateValue.of(value));
    byte[] signature = update.signature().orElseThrow();
    signature[0] ^= 1;
    assertInvalid(config, ALICE, 3, UpdateValue.signed(value, signature));
    assertInvalid(
        config, ALICE, 3, UpdateValue.signed(new byte[] {1, 2}, update.signature().orElseThrow()));
    assertThatThrownBy(() -> UpdateSignatures.sign(managerKey, config, ALICE, 3, value))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void assertInvalid(
      Configuration config, Label label, long version, UpdateValue update) {
    assertThatThrownBy(() -> UpdateSignatures.verify(config, label, version, update))
        .isInstanceOf(InvalidUpdateSignatureException.class);
  }
}
