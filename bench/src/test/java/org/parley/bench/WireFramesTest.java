package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;

/**
 * The harness writes and reads version 2 frames in place, without the protocol module's codec; the
 * codec (checked against the spec's test vectors) is the judge of what it writes and the source of
 * what it reads.
 */
class WireFramesTest {
  private static final AccountId RECIPIENT = AccountId.of("3b2e9a41-7d5c-4e0f-8a16-5c4d3e2f1a0b");

  @Test
  void sendFrameIsWhatTheCodecDecodes() throws Exception {
    Payload payload = new Payload(987_654_321L, 5, 3, 70_000);
    for (long id : new long[] {0, 23, 24, 255, 256, 65_536, 0xffff_ffffL}) {
      byte[] frame =
          SenderSocket.sendFrame(
              id, WireCbor.text(RECIPIENT.value()), 1_764_979_200_000L, 16_380, payload);

      BinaryFrame.Send send = (BinaryFrame.Send) BinaryFrames.decode(frame);

      assertThat(send.requestId()).isEqualTo(id);
      assertThat(send.recipient()).isEqualTo(RECIPIENT);
      assertThat(send.request().timestamp()).isEqualTo(1_764_979_200_000L);
      assertThat(send.request().withheldDevices()).isEmpty();
      OutgoingMessage m = send.request().messages().getFirst();
      assertThat(send.request().messages()).hasSize(1);
      assertThat(m.deviceId()).isEqualTo(DeviceId.of(1));
      assertThat(m.registrationId()).isEqualTo(16_380);
      assertThat(m.type()).isEqualTo(EnvelopeType.MESSAGE);
      assertThat(Payload.decode(m.content(), 0, m.content().length)).isEqualTo(payload);
      assertThat(m.content()).hasSize(Payload.SIZE);
    }
  }

  @Test
  void envelopesAreReadInPlaceAndAcknowledgedWithTheirIds() throws Exception {
    List<Envelope> envelopes = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      String id = "0b6a6f7e-1c1d-4e5f-9a0b-1c2d3e4f5a" + String.format("%02d", i);
      ids.add(id);
      envelopes.add(
          new Envelope(
              id,
              AccountId.of("8f4c1f6e-0c3a-4c52-9d6e-2b1f2d1e7a10"),
              Handle.of("alice@example.org"),
              DeviceId.of(1),
              EnvelopeType.MESSAGE,
              1_764_979_200_000L,
              1_764_979_200_123L + i,
              new Payload(i * 1_000L, 2, 0, i).encode()));
    }
    byte[] frame = BinaryFrames.encode(new BinaryFrame.Envelopes(envelopes));
    byte[] arrived = new byte[frame.length + 11]; // a read buffer: the message lies inside it
    System.arraycopy(frame, 0, arrived, 4, frame.length);
    PhaseReceipts receipts = new PhaseReceipts(2, 1);
    for (int i = 0; i < 30; i++) {
      receipts.accepted(0, i);
    }
    List<byte[]> written = new ArrayList<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    ReceiverSocket socket;
    try {
      // the ack timer never fires within the test: the one flush below sends the batch
      socket =
          ReceiverSocket.unopened(
              receipts,
              500,
              Duration.ofHours(1),
              timer,
              (bytes, offset, length) ->
                  written.add(Arrays.copyOfRange(bytes, offset, offset + length)));

      socket.frame(arrived, 4, frame.length, 1_000_000_000L);
      socket.flush();
    } finally {
      timer.shutdownNow();
    }

    assertThat(socket.problem()).isNull();
    assertThat(receipts.uniqueTotal()).isEqualTo(30);
    assertThat(receipts.totals(0).lost()).isZero();
    assertThat(written).hasSize(1);
    assertThat(BinaryFrames.decode(written.getFirst())).isEqualTo(new BinaryFrame.Ack(0, ids));
  }

  @Test
  void answersWithALongerHeadThanNeededAreRefused() {
    WireCbor.Cursor in = new WireCbor.Cursor();
    byte[] sent = {(byte) 0x84, 0x03, 0x18, 0x05, 0x00, 0x01}; // request id 5 as 0x18 0x05
    in.reset(sent, 0, sent.length);

    assertThatThrownBy(
            () -> {
              in.arrayHeader();
              in.unsigned();
              in.unsigned();
            })
        .isInstanceOf(WireCbor.Malformed.class)
        .hasMessageContaining("shortest form");
  }
}
