package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.ws.ClientFrame;
import org.parley.protocol.ws.ServerFrame;

class JsonTest {
  @Test
  void bytesTravelAsUnpaddedBase64Url() {
    OutgoingMessage m =
        new OutgoingMessage(
            DeviceId.of(2), 7, EnvelopeType.MESSAGE, new byte[] {(byte) 0xfb, (byte) 0xff});
    String json = Json.writeString(m);
    assertThat(json)
        .contains("\"content\":\"-_8\"")
        .contains("\"type\":\"message\"")
        .contains("\"deviceId\":2");
    OutgoingMessage back = Json.read(json, OutgoingMessage.class);
    assertThat(back.content()).containsExactly(0xfb, 0xff);
  }

  @Test
  void malformedJsonIsMalformedJson() {
    assertCode("{\"ids\": [", AckRequest.class, ErrorCode.MALFORMED_JSON);
    assertCode("not json", AckRequest.class, ErrorCode.MALFORMED_JSON);
    assertCode("{\"ids\": [\"a\"]} trailing", AckRequest.class, ErrorCode.MALFORMED_JSON);
  }

  @Test
  void wrongTypesAreInvalidRequestNamingTheField() {
    assertThatThrownBy(
            () -> Json.read("{\"messages\": [], \"timestamp\": \"5\"}", SendRequest.class))
        .isInstanceOf(ProtocolException.class)
        .satisfies(
            e -> assertThat(((ProtocolException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
        .hasMessageContaining("timestamp");
    assertCode(
        "{\"messages\": [{\"deviceId\": 1.5, \"registrationId\": 1, \"type\": \"message\", \"content\": \"AA\"}], \"timestamp\": 1}",
        SendRequest.class,
        ErrorCode.INVALID_REQUEST);
    assertCode("{\"ids\": 5}", AckRequest.class, ErrorCode.INVALID_REQUEST);
    assertCode("{\"ids\": [5]}", AckRequest.class, ErrorCode.INVALID_REQUEST);
    assertCode("[]", AckRequest.class, ErrorCode.INVALID_REQUEST);
    assertCode("null", AckRequest.class, ErrorCode.INVALID_REQUEST);
  }

  @Test
  void constructorChecksBecomeInvalidRequest() {
    assertCode("{\"ids\": []}", AckRequest.class, ErrorCode.INVALID_REQUEST);
    assertCode(
        "{\"messages\": [{\"deviceId\": 200, \"registrationId\": 1, \"type\": \"message\", \"content\": \"AA\"}], \"timestamp\": 1}",
        SendRequest.class,
        ErrorCode.INVALID_REQUEST);
    assertCode(
        "{\"messages\": [{\"deviceId\": 1, \"registrationId\": 1, \"type\": \"message\", \"content\": \"!!\"}], \"timestamp\": 1}",
        SendRequest.class,
        ErrorCode.INVALID_REQUEST);
    assertCode(
        "{\"messages\": [{\"deviceId\": 1, \"registrationId\": 1, \"type\": \"other\", \"content\": \"AA\"}], \"timestamp\": 1}",
        SendRequest.class,
        ErrorCode.INVALID_REQUEST);
  }

  @Test
  void aKeyOfTheWrongLengthIsInvalidKeyNotInvalidRequest() {
    assertCode(
        "{\"keyId\": 1, \"publicKey\": \"" + Json.base64Url(new byte[32]) + "\"}",
        org.parley.protocol.keys.PreKey.class,
        ErrorCode.INVALID_KEY);
    assertCode(
        "{\"keyId\": 1, \"publicKey\": \""
            + Json.base64Url(new byte[1568])
            + "\", \"signature\": \""
            + Json.base64Url(new byte[64])
            + "\"}",
        org.parley.protocol.keys.KyberPreKey.class,
        ErrorCode.INVALID_KEY);
    // a missing key is a missing field, and a short signature is the wrong shape
    assertCode("{\"keyId\": 1}", org.parley.protocol.keys.PreKey.class, ErrorCode.INVALID_REQUEST);
    assertCode(
        "{\"keyId\": 1, \"publicKey\": \""
            + Json.base64Url(new byte[33])
            + "\", \"signature\": \"AA\"}",
        org.parley.protocol.keys.SignedPreKey.class,
        ErrorCode.INVALID_REQUEST);
  }

  @Test
  void duplicateDevicesInOneSendAreRefused() {
    OutgoingMessage m =
        new OutgoingMessage(DeviceId.of(1), 1, EnvelopeType.MESSAGE, new byte[] {1});
    assertThatThrownBy(() -> new SendRequest(List.of(m, m), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
  }

  @Test
  void framesCarryTheirType() {
    String acked = Json.writeString(new ServerFrame.Acked(List.of("a", "b")));
    assertThat(acked).isEqualTo("{\"type\":\"acked\",\"ids\":[\"a\",\"b\"]}");
    ClientFrame ack = Json.read("{\"type\":\"ack\",\"ids\":[\"x\"]}", ClientFrame.class);
    assertThat(ack).isEqualTo(new ClientFrame.Ack(List.of("x")));
    assertCode("{\"type\":\"launch\"}", ClientFrame.class, ErrorCode.INVALID_REQUEST);
  }

  @Test
  void credentialsRoundTripAndNeverPrintThePassword() {
    Credentials c = new Credentials(AccountId.random(), DeviceId.of(3), "p".repeat(30));
    assertThat(Credentials.parseAuthorization(c.authorizationHeader())).isEqualTo(c);
    assertThat(c.toString()).doesNotContain("ppp");
    assertThatThrownBy(() -> Credentials.parseAuthorization("Bearer x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void handlesAreLowercasedAndValidated() {
    assertThat(Handle.of("Alice@Example.ORG").value()).isEqualTo("alice@example.org");
    for (String bad :
        List.of(
            "alice",
            "@example.org",
            "alice@",
            "a@b@c",
            "-x@example.org",
            "al ice@example.org",
            "x".repeat(33) + "@e.org")) {
      assertThatThrownBy(() -> Handle.of(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void accountIdsAreCanonicalUuids() {
    assertThatThrownBy(() -> AccountId.of("ABCDEF00-0000-0000-0000-000000000000"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AccountId.of("x")).isInstanceOf(IllegalArgumentException.class);
    assertThat(AccountId.random().value()).hasSize(36);
  }

  @Test
  void deviceNamesRefuseControlsAndUnpairedSurrogates() {
    assertThat(org.parley.protocol.account.DeviceName.check(" laptop ")).isEqualTo("laptop");
    assertThat(org.parley.protocol.account.DeviceName.check("phone \uD83D\uDCF1"))
        .endsWith("\uD83D\uDCF1");
    for (String bad : List.of("", " ", "a\nb", "\uD800", "x\uDC00y", "x".repeat(65))) {
      assertThatThrownBy(() -> org.parley.protocol.account.DeviceName.check(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static void assertCode(String json, Class<?> type, ErrorCode expected) {
    assertThatThrownBy(() -> Json.read(json, type))
        .as(json)
        .isInstanceOf(ProtocolException.class)
        .satisfies(e -> assertThat(((ProtocolException) e).code()).isEqualTo(expected));
  }
}
