package org.parley.protocol.kt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;

/** The key-transparency JSON bodies (docs/spec/api.md, "Key transparency" under "Bodies"). */
class KtBodiesTest {
  @Test
  void theConfigurationTravelsAsBase64Url() {
    KtConfig config =
        new KtConfig(new byte[] {(byte) 0xfb, (byte) 0xff}, "KT_128_SHA256_Ed25519", 2_000, 7);
    String json = Json.writeString(config);
    assertThat(json)
        .isEqualTo(
            "{\"configuration\":\"-_8\",\"cipherSuite\":"
                + "\"KT_128_SHA256_Ed25519\",\"epochMillis\":2000,\"treeSize\":7}");
    assertThat(Json.read(json, KtConfig.class).configuration()).containsExactly(0xfb, 0xff);
    assertRefused(
        "{\"cipherSuite\":\"KT_128_SHA256_Ed25519\",\"epochMillis\":1,\"treeSize\":0}",
        KtConfig.class);
  }

  @Test
  void anAuditorHeadNeedsItsKeyItsSignatureAndAPositiveSize() {
    AuditorHead head = new AuditorHead(new byte[] {1}, 3, 1_000, new byte[] {2});
    String json = Json.writeString(new AuditorHeads(List.of(head)));
    assertThat(json)
        .isEqualTo(
            "{\"heads\":[{\"auditorPublicKey\":\"AQ\",\"treeSize\":3,"
                + "\"timestamp\":1000,\"signature\":\"Ag\"}]}");
    assertThat(Json.read(json, AuditorHeads.class).heads().getFirst().signature())
        .containsExactly(2);
    assertRefused("{\"treeSize\":1,\"timestamp\":1,\"signature\":\"AA\"}", AuditorHead.class);
    assertRefused(
        "{\"auditorPublicKey\":\"AA\",\"treeSize\":0,\"timestamp\":1," + "\"signature\":\"AA\"}",
        AuditorHead.class);
    assertThat(Json.writeString(new AuditorHeadResponse(false))).isEqualTo("{\"kept\":false}");
  }

  private static void assertRefused(String json, Class<?> type) {
    assertThatThrownBy(() -> Json.read(json, type))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST));
  }
}
