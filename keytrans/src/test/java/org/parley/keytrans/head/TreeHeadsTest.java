package org.parley.keytrans.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfPublicKey;

/** Sign, verify and reject tree heads and auditor tree heads on both suites. */
class TreeHeadsTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  static Stream<CipherSuite> suites() {
    return Stream.of(CipherSuite.KT_128_SHA256_P256, CipherSuite.KT_128_SHA256_Ed25519);
  }

  record Log(CipherSuite suite, SignatureSecretKey key, SignatureSecretKey thirdKey) {
    static Log create(CipherSuite suite) {
      SignatureScheme scheme = suite.signatureScheme();
      return new Log(suite, scheme.generateSecretKey(RANDOM), scheme.generateSecretKey(RANDOM));
    }

    VrfPublicKey vrfKey() {
      return suite.vrf().publicKey(suite.vrf().generateSecretKey(new SecureRandom(new byte[] {1})));
    }

    Configuration config(ModeParameters params, OptionalLong lifetime) {
      return new Configuration(
          suite,
          suite.signatureScheme().publicKey(key),
          vrfKey(),
          params,
          1000,
          2000,
          3000,
          lifetime);
    }

    List<Configuration> allConfigs() {
      var third = suite.signatureScheme().publicKey(thirdKey);
      List<Configuration> configs = new ArrayList<>();
      for (OptionalLong lifetime : List.of(OptionalLong.empty(), OptionalLong.of(4000))) {
        configs.add(config(new ModeParameters.ContactMonitoring(), lifetime));
        configs.add(config(new ModeParameters.ThirdPartyManagement(third), lifetime));
        configs.add(config(new ModeParameters.ThirdPartyAuditing(10, 0, third), lifetime));
      }
      return configs;
    }

    Configuration auditing() {
      return config(
          new ModeParameters.ThirdPartyAuditing(10, 0, suite.signatureScheme().publicKey(thirdKey)),
          OptionalLong.empty());
    }
  }

  static HashValue root(CipherSuite suite, int seed) {
    return HashValue.of(suite.hash(new byte[] {(byte) seed}));
  }

  @ParameterizedTest
  @MethodSource("suites")
  void signedHeadsVerifyAndRoundTrip(CipherSuite suite) throws Exception {
    Log log = Log.create(suite);
    for (Configuration config : log.allConfigs()) {
      assertThat(Configuration.decode(config.encode())).isEqualTo(config);
      TreeHead head = TreeHeads.sign(log.key(), config, 42, root(suite, 1));
      assertThat(head.signature()).hasSize(suite.signatureScheme().signatureLength());
      TreeHead decoded = TreeHead.decode(head.encode());
      assertThat(decoded).isEqualTo(head);
      VerifiedTreeHead verified = TreeHeads.verify(config, decoded, root(suite, 1));
      assertThat(verified.treeSize()).isEqualTo(42);
      assertThat(verified.root()).isEqualTo(root(suite, 1));
    }
  }

  @ParameterizedTest
  @MethodSource("suites")
  void signatureOverOtherConfigurationSizeOrRootIsRejected(CipherSuite suite) {
    Log log = Log.create(suite);
    List<Configuration> configs = log.allConfigs();
    Configuration config = configs.get(0);
    TreeHead head = TreeHeads.sign(log.key(), config, 42, root(suite, 1));
    for (Configuration other : configs.subList(1, configs.size())) {
      assertRejected(other, head, root(suite, 1));
    }
    Configuration otherWindow =
        new Configuration(
            suite,
            config.signaturePublicKey(),
            config.vrfPublicKey(),
            config.modeParameters(),
            config.maxAhead(),
            config.maxBehind(),
            config.reasonableMonitoringWindow() + 1,
            config.maximumLifetime());
    assertRejected(otherWindow, head, root(suite, 1));
    Configuration otherVrfKey =
        new Configuration(
            suite,
            config.signaturePublicKey(),
            suite.vrf().publicKey(suite.vrf().generateSecretKey(RANDOM)),
            config.modeParameters(),
            config.maxAhead(),
            config.maxBehind(),
            config.reasonableMonitoringWindow(),
            config.maximumLifetime());
    assertRejected(otherVrfKey, head, root(suite, 1));
    assertRejected(config, new TreeHead(43, head.signature()), root(suite, 1));
    assertRejected(config, head, root(suite, 2));
    // The third party's key over the same bytes is not the log's signature.
    Configuration signedByOther = log.config(config.modeParameters(), config.maximumLifetime());
    assertThatThrownBy(() -> TreeHeads.sign(log.thirdKey(), signedByOther, 42, root(suite, 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void everyFlippedByteOfHeadOrConfigurationIsRejected(CipherSuite suite) throws Exception {
    Log log = Log.create(suite);
    Configuration config = log.allConfigs().get(5);
    HashValue root = root(suite, 1);
    byte[] head = TreeHeads.sign(log.key(), config, 1L << 40, root).encode();
    byte[] encodedConfig = config.encode();
    for (int i = 0; i < head.length; i++) {
      for (int bit = 0; bit < 8; bit += 7) {
        byte[] flipped = head.clone();
        flipped[i] ^= (byte) (1 << bit);
        assertThat(accepts(encodedConfig, flipped, root)).as("head byte %d", i).isFalse();
      }
    }
    for (int i = 0; i < encodedConfig.length; i++) {
      byte[] flipped = encodedConfig.clone();
      flipped[i] ^= 1;
      assertThat(accepts(flipped, head, root)).as("config byte %d", i).isFalse();
    }
    assertThat(accepts(encodedConfig, head, root)).isTrue();
  }

  @ParameterizedTest
  @MethodSource("suites")
  void auditorHeadsSignVerifyAndReject(CipherSuite suite) throws Exception {
    Log log = Log.create(suite);
    Configuration config = log.auditing();
    HashValue root = root(suite, 3);
    AuditorTreeHead head =
        AuditorTreeHeads.sign(log.thirdKey(), config, 1_700_000_000_000L, 9, root);
    AuditorTreeHead decoded = AuditorTreeHead.decode(head.encode());
    assertThat(decoded).isEqualTo(head);
    assertThat(AuditorTreeHeads.verify(config, decoded, root).timestamp())
        .isEqualTo(1_700_000_000_000L);

    byte[] encoded = head.encode();
    for (int i = 0; i < encoded.length; i++) {
      byte[] flipped = encoded.clone();
      flipped[i] ^= 1;
      boolean accepted;
      try {
        AuditorTreeHeads.verify(config, AuditorTreeHead.decode(flipped), root);
        accepted = true;
      } catch (MalformedEncodingException | InvalidTreeHeadException e) {
        accepted = false;
      }
      assertThat(accepted).as("byte %d", i).isFalse();
    }
    assertThatThrownBy(() -> AuditorTreeHeads.verify(config, head, root(suite, 4)))
        .isInstanceOf(InvalidTreeHeadException.class);
    // The log's own key is not the auditor's; a tree head signature is not an auditor signature.
    assertThatThrownBy(() -> AuditorTreeHeads.sign(log.key(), config, 0, 9, root))
        .isInstanceOf(IllegalArgumentException.class);
    Configuration contact = log.allConfigs().get(0);
    assertThatThrownBy(() -> AuditorTreeHeads.verify(contact, head, root))
        .isInstanceOf(InvalidTreeHeadException.class);
  }

  @ParameterizedTest
  @MethodSource("suites")
  void malformedConfigurationsAreRefused(CipherSuite suite) {
    Log log = Log.create(suite);
    byte[] good = log.allConfigs().get(3).encode(); // contact monitoring, lifetime present
    assertMalformed(java.util.Arrays.copyOf(good, good.length - 1));
    assertMalformed(java.util.Arrays.copyOf(good, good.length + 1));
    byte[] presence = good.clone();
    presence[good.length - 9] = 2;
    assertMalformed(presence);
    for (int mode : new int[] {0, 4, 255}) {
      byte[] badMode = good.clone();
      badMode[2] = (byte) mode;
      assertMalformed(badMode);
    }
    byte[] badSuite = good.clone();
    badSuite[1] = 3;
    assertMalformed(badSuite);
    assertMalformed(new byte[0]);
    assertThatThrownBy(
            () ->
                new Configuration(
                    suite,
                    new org.parley.keytrans.suite.SignaturePublicKey(new byte[3]),
                    log.vrfKey(),
                    new ModeParameters.ContactMonitoring(),
                    0,
                    0,
                    0,
                    OptionalLong.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TreeHead.decode(new byte[10]))
        .isInstanceOf(MalformedEncodingException.class); // tree_size 0
  }

  private static void assertMalformed(byte[] encoded) {
    assertThatThrownBy(() -> Configuration.decode(encoded))
        .isInstanceOf(MalformedEncodingException.class);
  }

  private static void assertRejected(Configuration config, TreeHead head, HashValue root) {
    assertThatThrownBy(() -> TreeHeads.verify(config, head, root))
        .isInstanceOf(InvalidTreeHeadException.class);
  }

  private static boolean accepts(byte[] config, byte[] head, HashValue root) {
    try {
      TreeHeads.verify(Configuration.decode(config), TreeHead.decode(head), root);
      return true;
    } catch (MalformedEncodingException | InvalidTreeHeadException e) {
      return false;
    }
  }
}
