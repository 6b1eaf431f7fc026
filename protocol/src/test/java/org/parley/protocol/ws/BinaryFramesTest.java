package org.parley.protocol.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;

/**
 * The binary frames encode exactly as the published vectors (docs/spec/websocket-test-vectors.json)
 * say, decode back to the same frames, and nothing but that one encoding is accepted. Run with
 * {@code -Dparley.writeVectors=true} to rewrite the file after a deliberate change of the format.
 */
class BinaryFramesTest {
  static final Path FILE = Path.of("..", "docs", "spec", "websocket-test-vectors.json");
  private static final AccountId ALICE = AccountId.of("8f4c1f6e-0c3a-4c52-9d6e-2b1f2d1e7a10");
  private static final AccountId BOB = AccountId.of("3b2e9a41-7d5c-4e0f-8a16-5c4d3e2f1a0b");

  /** The frames the vectors hold, by name, in the order the spec lists them. */
  static Map<String, BinaryFrame> vectors() {
    Map<String, BinaryFrame> v = new LinkedHashMap<>();
    v.put(
        "send",
        new BinaryFrame.Send(
            7,
            BOB,
            new SendRequest(
                List.of(
                    new OutgoingMessage(
                        DeviceId.of(1), 4711, EnvelopeType.MESSAGE, new byte[] {1, 2, 3}),
                    new OutgoingMessage(
                        DeviceId.of(2), 16380, EnvelopeType.PREKEY_MESSAGE, new byte[] {4})),
                1_764_979_200_000L,
                List.of(DeviceId.of(3)))));
    v.put("ack", new BinaryFrame.Ack(8, List.of("0b6a6f7e-1c1d-4e5f-9a0b-1c2d3e4f5a6b")));
    v.put("sent", new BinaryFrame.Sent(7, 1_764_979_200_123L, 2));
    v.put("acked", new BinaryFrame.Acked(8));
    v.put(
        "refused_stale_devices",
        new BinaryFrame.Refused(
            7L, 409, ErrorResponse.staleDevices(List.of(3), List.of(), List.of(2)), 0));
    v.put(
        "refused_rate_limited",
        new BinaryFrame.Refused(
            9L,
            429,
            ErrorResponse.of(ErrorCode.RATE_LIMITED, "too many requests; retry after 12 s"),
            12));
    v.put(
        "refused_unreadable",
        new BinaryFrame.Refused(
            null, 400, ErrorResponse.of(ErrorCode.INVALID_REQUEST, "frame: input truncated"), 0));
    v.put(
        "envelopes",
        new BinaryFrame.Envelopes(
            List.of(
                new Envelope(
                    "0b6a6f7e-1c1d-4e5f-9a0b-1c2d3e4f5a6b",
                    ALICE,
                    Handle.of("alice@example.org"),
                    DeviceId.of(1),
                    EnvelopeType.PREKEY_MESSAGE,
                    1_764_979_200_000L,
                    1_764_979_200_123L,
                    new byte[] {1, 2, 3}))));
    v.put(
        "envelopes_sealed",
        new BinaryFrame.Envelopes(
            List.of(
                new Envelope(
                    "5d1f0c2a-7b3e-4f60-8a91-2c3d4e5f6a7b",
                    null,
                    null,
                    null,
                    EnvelopeType.SEALED_SENDER,
                    1_764_979_200_000L,
                    1_764_979_200_123L,
                    new byte[] {0x11, 4, 5}))));
    v.put("queue_empty", new BinaryFrame.QueueEmpty());
    v.put("devices_changed", new BinaryFrame.DevicesChanged(ALICE));
    v.put("keys_low", new BinaryFrame.KeysLow(4, 9));
    return v;
  }

  @Test
  void framesEncodeAsThePublishedVectorsAndDecodeBack() throws Exception {
    Map<String, BinaryFrame> frames = vectors();
    if (Boolean.getBoolean("parley.writeVectors")) {
      write(frames);
    }
    JsonNode file = new ObjectMapper().readTree(FILE.toFile());
    assertThat(file.get("vectors")).hasSize(frames.size());
    for (JsonNode vector : file.get("vectors")) {
      String name = vector.get("name").asText();
      BinaryFrame frame = frames.get(name);
      assertThat(frame).as(name).isNotNull();
      byte[] expected = HexFormat.of().parseHex(vector.get("hex").asText());
      assertThat(BinaryFrames.encode(frame)).as(name).isEqualTo(expected);
      assertThat(BinaryFrames.encode(BinaryFrames.decode(expected))).as(name).isEqualTo(expected);
    }
  }

  @Test
  void aSendDecodesToTheRequestItCarries() throws Exception {
    BinaryFrame.Send send = (BinaryFrame.Send) vectors().get("send");
    BinaryFrame.Send back = (BinaryFrame.Send) BinaryFrames.decode(BinaryFrames.encode(send));
    assertThat(back.requestId()).isEqualTo(7);
    assertThat(back.recipient()).isEqualTo(BOB);
    assertThat(back.request().timestamp()).isEqualTo(1_764_979_200_000L);
    assertThat(back.request().withheldDevices()).containsExactly(DeviceId.of(3));
    assertThat(back.request().messages()).hasSize(2);
    assertThat(back.request().messages().get(1).content()).containsExactly(4);
    assertThat(back.request().messages().get(1).type()).isEqualTo(EnvelopeType.PREKEY_MESSAGE);
  }

  @Property(tries = 200)
  void everyEnvelopesFrameRoundTrips(
      @ForAll @Size(min = 1, max = 600) byte[] content,
      @ForAll @IntRange(min = 1, max = 127) int device,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int timestamp)
      throws CborException {
    Envelope e =
        new Envelope(
            "id-" + timestamp,
            ALICE,
            Handle.of("alice@example.org"),
            DeviceId.of(device),
            EnvelopeType.MESSAGE,
            timestamp,
            timestamp + 1L,
            content);
    byte[] encoded = BinaryFrames.encode(new BinaryFrame.Envelopes(List.of(e)));
    Envelope back = ((BinaryFrame.Envelopes) BinaryFrames.decode(encoded)).envelopes().getFirst();
    assertThat(back.content()).isEqualTo(content);
    assertThat(back.sourceDeviceId()).isEqualTo(DeviceId.of(device));
    assertThat(back.timestamp()).isEqualTo(timestamp);
    assertThat(BinaryFrames.encode(new BinaryFrame.Envelopes(List.of(back)))).isEqualTo(encoded);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // nothing
        "80", // an empty array
        "8118ff", // an unknown kind
        "820418", // truncated request id
        "83041808", // acked with a request id in a longer form than needed
        "8207", // queue_empty with an extra element
        "8107f6", // trailing bytes after the array
        "9f07ff", // an indefinite-length array
        "a10107" // a map instead of an array
      })
  void anythingButTheOneEncodingIsRefused(String hex) {
    assertThatThrownBy(() -> BinaryFrames.decode(HexFormat.of().parseHex(hex)))
        .isInstanceOf(CborException.class);
  }

  @Test
  void wellFormedFramesWithValuesOutOfRangeAreRefusedNamingTheField() {
    // a send whose message list is empty: the layout is right, the value is not
    String bob =
        HexFormat.of().formatHex(BOB.value().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    byte[] empty = HexFormat.of().parseHex("860107" + "7824" + bob + "01" + "80" + "80");
    assertThatThrownBy(() -> BinaryFrames.decode(empty))
        .isInstanceOf(IllegalArgumentException.class);
    // an acknowledgement of an empty id
    byte[] device = HexFormat.of().parseHex("830207" + "81" + "60");
    assertThatThrownBy(() -> BinaryFrames.decode(device))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theRequestIdOfAnUnreadableRequestIsRecoveredWhenPresent() {
    assertThat(BinaryFrames.requestIdOf(HexFormat.of().parseHex("830207ff"))).isEqualTo(7L);
    assertThat(BinaryFrames.requestIdOf(HexFormat.of().parseHex("8107"))).isNull();
    assertThat(BinaryFrames.requestIdOf(HexFormat.of().parseHex("ff"))).isNull();
  }

  private static void write(Map<String, BinaryFrame> frames) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put(
        "description",
        "Parley WebSocket protocol version 2 (parley.2) frames: each vector is one binary"
            + " WebSocket message (docs/spec/websocket.md). Generated by BinaryFramesTest.");
    ArrayNode list = root.putArray("vectors");
    frames.forEach(
        (name, frame) ->
            list.addObject()
                .put("name", name)
                .put("hex", HexFormat.of().formatHex(BinaryFrames.encode(frame))));
    Files.writeString(
        FILE, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
  }
}
