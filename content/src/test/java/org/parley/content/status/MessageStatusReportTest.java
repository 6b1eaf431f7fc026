package org.parley.content.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.parley.content.ContentFormatException;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.SinglePart;

class MessageStatusReportTest {
  static final MimiUri BOB = new MimiUri("mimi://example.com/u/bob-jones");
  static final MimiUri ROOM = new MimiUri("mimi://example.com/r/engineering_team");

  @Test
  void draftExampleRoundTripsAndNamesTheContentExamples() throws Exception {
    byte[] encoded = resource("status.cbor");

    MessageStatusReport report = MessageStatusReport.decode(encoded);

    assertThat(report.encode().toByteArray()).isEqualTo(encoded);
    assertThat(report.statuses())
        .containsExactly(
            new PerMessageStatus(idOf("original"), MessageStatus.READ),
            new PerMessageStatus(idOf("reply"), MessageStatus.READ),
            new PerMessageStatus(idOf("mention"), MessageStatus.UNREAD),
            new PerMessageStatus(idOf("expiring"), MessageStatus.EXPIRED));
  }

  @Test
  void deliveryReceiptTravelsAsMimiContent() throws Exception {
    MessageId original = idOf("original");
    MimiContent receipt =
        MimiContent.status(BOB, ROOM, MessageStatusReport.of(MessageStatus.DELIVERED, original));

    MimiContent decoded = MimiCodec.decode(MimiCodec.encode(receipt));

    assertThat(decoded).isEqualTo(receipt);
    assertThat(((SinglePart) decoded.nestedPart().part()).contentType())
        .isEqualTo("application/mimi-message-status");
    assertThat(MessageStatusReport.decode(decoded.statusReportBytes().orElseThrow()).statuses())
        .containsExactly(new PerMessageStatus(original, MessageStatus.DELIVERED));
  }

  @Test
  void unknownStatusValuesAreCarriedButOutOfRangeOnesRejected() throws Exception {
    byte[] encoded = resource("status.cbor").clone();
    encoded[encoded.length - 1] = 0x17; // status 23: unknown but valid
    assertThat(MessageStatusReport.decode(encoded).statuses().get(3).status().isKnown()).isFalse();

    byte[] tooBig = Arrays.copyOf(encoded, encoded.length + 2);
    tooBig[tooBig.length - 3] = 0x19; // uint16 follows: 0x1701 > 255
    tooBig[tooBig.length - 2] = 0x17;
    tooBig[tooBig.length - 1] = 0x01;
    assertThatThrownBy(() -> MessageStatusReport.decode(tooBig))
        .isInstanceOf(ContentFormatException.class)
        .hasMessageContaining("exceeds 255");
  }

  private static MessageId idOf(String example) throws Exception {
    return MimiCodec.messageId(MimiCodec.decode(resource(example + ".cbor")));
  }

  private static byte[] resource(String file) throws Exception {
    try (InputStream in =
        MessageStatusReportTest.class.getResourceAsStream("/mimi-examples/" + file)) {
      return in.readAllBytes();
    }
  }
}
