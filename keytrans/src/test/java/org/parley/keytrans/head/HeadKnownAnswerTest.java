package org.parley.keytrans.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignaturePublicKey;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfPublicKey;

/**
 * Encodings written out by hand, field by field, from the draft's structures (section "Tree Head
 * Signature" and following); the Ed25519 signature was computed with an independent Ed25519.
 */
class HeadKnownAnswerTest {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 8032 section 7.1, test 1 and test 2 public keys.
  static final String PK1 = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  static final String PK2 = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
  static final SignatureSecretKey SK1 =
      new SignatureSecretKey(
          HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  static final HashValue ROOT = HashValue.of(HEX.parseHex(range(0x20, 0x40)));

  static String range(int from, int to) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < to; i++) {
      s.append(String.format("%02x", i));
    }
    return s.toString();
  }

  static Configuration contactConfig() {
    return new Configuration(
        CipherSuite.KT_128_SHA256_Ed25519,
        new SignaturePublicKey(HEX.parseHex(PK1)),
        new VrfPublicKey(HEX.parseHex(PK2)),
        new ModeParameters.ContactMonitoring(),
        60_000L,
        86_400_000L,
        604_800_000L,
        OptionalLong.of(2_592_000_000L));
  }

  static final String CONTACT_CONFIG =
      "0002" // ciphersuite KT_128_SHA256_Ed25519
          + "01" // mode contactMonitoring
          + "0020"
          + PK1 // signature_public_key<0..2^16-1>: count 32, bytes
          + "0020"
          + PK2 // vrf_public_key<0..2^16-1>
          + "000000000000ea60" // max_ahead 60000
          + "0000000005265c00" // max_behind 86400000
          + "00000000240c8400" // reasonable_monitoring_window 604800000
          + "01"
          + "000000009a7ec800"; // optional<uint64> maximum_lifetime: present, 2592000000

  @Test
  void contactMonitoringConfiguration() throws MalformedEncodingException {
    assertThat(HEX.formatHex(contactConfig().encode())).isEqualTo(CONTACT_CONFIG);
    assertThat(Configuration.decode(HEX.parseHex(CONTACT_CONFIG))).isEqualTo(contactConfig());
  }

  @Test
  void thirdPartyConfigurationsWithoutMaximumLifetime() throws MalformedEncodingException {
    Configuration management =
        new Configuration(
            CipherSuite.KT_128_SHA256_Ed25519,
            new SignaturePublicKey(HEX.parseHex(PK1)),
            new VrfPublicKey(HEX.parseHex(PK2)),
            new ModeParameters.ThirdPartyManagement(new SignaturePublicKey(HEX.parseHex(PK2))),
            1L,
            2L,
            3L,
            OptionalLong.empty());
    String managementHex =
        "0002"
            + "02"
            + "0020"
            + PK1
            + "0020"
            + PK2
            + "0020"
            + PK2 // leaf_public_key
            + "0000000000000001"
            + "0000000000000002"
            + "0000000000000003"
            + "00"; // maximum_lifetime absent
    assertThat(HEX.formatHex(management.encode())).isEqualTo(managementHex);
    assertThat(Configuration.decode(HEX.parseHex(managementHex))).isEqualTo(management);

    Configuration auditing =
        new Configuration(
            CipherSuite.KT_128_SHA256_Ed25519,
            new SignaturePublicKey(HEX.parseHex(PK1)),
            new VrfPublicKey(HEX.parseHex(PK2)),
            new ModeParameters.ThirdPartyAuditing(
                0x0102030405060708L, -1L, new SignaturePublicKey(HEX.parseHex(PK2))),
            1L,
            2L,
            3L,
            OptionalLong.empty());
    String auditingHex =
        "0002"
            + "03"
            + "0020"
            + PK1
            + "0020"
            + PK2
            + "0102030405060708" // max_auditor_lag
            + "ffffffffffffffff" // auditor_start_pos, raw 64 bits
            + "0020"
            + PK2 // auditor_public_key
            + "0000000000000001"
            + "0000000000000002"
            + "0000000000000003"
            + "00";
    assertThat(HEX.formatHex(auditing.encode())).isEqualTo(auditingHex);
    assertThat(Configuration.decode(HEX.parseHex(auditingHex))).isEqualTo(auditing);
  }

  @Test
  void treeHeadTbsAndSignature() throws Exception {
    String tbs = CONTACT_CONFIG + "000000000000000d" + range(0x20, 0x40); // size 13, root[32]
    assertThat(HEX.formatHex(TreeHeads.toBeSigned(contactConfig(), 13, ROOT))).isEqualTo(tbs);

    String signature =
        "5595aa85bc9b784d14403a52d0a60be7496d2768ab2834bba03e698c52986aa3"
            + "3a6c72b9b8d05c62e1d3130a88df82700e789c50c43f845b9d14fded1cd90909";
    TreeHead head = TreeHeads.sign(SK1, contactConfig(), 13, ROOT);
    String encoded = "000000000000000d" + "0040" + signature; // tree_size, signature<0..2^16-1>
    assertThat(HEX.formatHex(head.encode())).isEqualTo(encoded);
    TreeHead decoded = TreeHead.decode(HEX.parseHex(encoded));
    assertThat(TreeHeads.verify(contactConfig(), decoded, ROOT).treeSize()).isEqualTo(13);
  }

  @Test
  void auditorTbsAndFullTreeHeads() throws MalformedEncodingException {
    Configuration auditing =
        new Configuration(
            CipherSuite.KT_128_SHA256_Ed25519,
            new SignaturePublicKey(HEX.parseHex(PK1)),
            new VrfPublicKey(HEX.parseHex(PK2)),
            new ModeParameters.ThirdPartyAuditing(
                5L, 0L, new SignaturePublicKey(HEX.parseHex(PK1))),
            1L,
            2L,
            3L,
            OptionalLong.empty());
    assertThat(HEX.formatHex(AuditorTreeHeads.toBeSigned(auditing, 0x1234L, 7L, ROOT)))
        .isEqualTo(
            HEX.formatHex(auditing.encode())
                + "0000000000001234" // timestamp
                + "0000000000000007" // tree_size
                + range(0x20, 0x40)); // root

    assertThat(HEX.formatHex(new FullTreeHead.Same().encode(DeploymentMode.CONTACT_MONITORING)))
        .isEqualTo("01");
    FullTreeHead updated =
        new FullTreeHead.Updated(new TreeHead(2, new byte[] {9}), Optional.empty());
    assertThat(HEX.formatHex(updated.encode(DeploymentMode.THIRD_PARTY_MANAGEMENT)))
        .isEqualTo("02" + "0000000000000002" + "0001" + "09");
    FullTreeHead audited =
        new FullTreeHead.Updated(
            new TreeHead(2, new byte[] {9}),
            Optional.of(new AuditorTreeHead(3, 1, new byte[] {7, 8})));
    String auditedHex =
        "02"
            + "0000000000000002"
            + "000109"
            + "0000000000000003"
            + "0000000000000001"
            + "0002"
            + "0708";
    assertThat(HEX.formatHex(audited.encode(DeploymentMode.THIRD_PARTY_AUDITING)))
        .isEqualTo(auditedHex);
    assertThat(FullTreeHead.decode(HEX.parseHex(auditedHex), DeploymentMode.THIRD_PARTY_AUDITING))
        .isEqualTo(audited);
    assertThat(FullTreeHead.decode(HEX.parseHex("01"), DeploymentMode.THIRD_PARTY_AUDITING))
        .isEqualTo(new FullTreeHead.Same());
  }
}
