package org.parley.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.parley.content.status.MessageStatus;
import org.parley.content.status.MessageStatusReport;

/** The worked example of docs/spec/content.md, recomputed so the spec cannot drift from code. */
class SpecVectorsTest {
  static final String ROOM =
      "mimi://parley.example/r/direct-fd9d9a33d485b021c1c321b33a0345c44157f7f3b3ad2afdc6885202124762f7";
  static final String TEXT_HEX =
      "8750000102030405060708090a0b0c0d0e0ff640f6f6a201781d6d696d693a2f2f7061726c65792e6578616d"
          + "706c652f752f616c69636502785f6d696d693a2f2f7061726c65792e6578616d706c652f722f646972656374"
          + "2d66643964396133336434383562303231633163333231623333613033343563343431353766376633623361"
          + "643261666463363838353230323132343736326637850160017818746578742f706c61696e3b636861727365"
          + "743d7574662d384b48656c6c6f2c20426f6221";
  static final String TEXT_ID = "019d2c466263fc98380365738593ea55fce7675f1d42f3645d5c16290b7a8d5b";
  static final String RECEIPT_HEX =
      "8750101112131415161718191a1b1c1d1e1ff640f6f6a201781b6d696d693a2f2f7061726c65792e6578616d"
          + "706c652f752f626f6202785f6d696d693a2f2f7061726c65792e6578616d706c652f722f6469726563742d66"
          + "6439643961333364343835623032316331633332316233336130333435633434313537663766336233616432"
          + "6166646336383835323032313234373632663785006001781f6170706c69636174696f6e2f6d696d692d6d65"
          + "73736167652d737461747573582581825820019d2c466263fc98380365738593ea55fce7675f1d42f3645d5c"
          + "16290b7a8d5b01";
  static final String RECEIPT_ID =
      "015a76438f7d7e039b9061b2e27878772f466502ea92e935fd535efb347f429d";

  @Test
  void textMessageVector() {
    MimiUri room = ParleyUris.directRoom("bob@parley.example", "alice@parley.example");
    MimiContent hello =
        MimiContent.text(ParleyUris.user("alice@parley.example"), room, "Hello, Bob!")
            .withSalt(Salt.ofHex("000102030405060708090a0b0c0d0e0f"));

    assertThat(room.value()).isEqualTo(ROOM);
    assertThat(HexFormat.of().formatHex(MimiCodec.encode(hello))).isEqualTo(TEXT_HEX);
    assertThat(MimiCodec.messageId(hello).hex()).isEqualTo(TEXT_ID);
  }

  @Test
  void deliveryReceiptVector() {
    MimiContent receipt =
        MimiContent.status(
                ParleyUris.user("bob@parley.example"),
                new MimiUri(ROOM),
                MessageStatusReport.of(MessageStatus.DELIVERED, MessageId.ofHex(TEXT_ID)))
            .withSalt(Salt.ofHex("101112131415161718191a1b1c1d1e1f"));

    assertThat(HexFormat.of().formatHex(MimiCodec.encode(receipt))).isEqualTo(RECEIPT_HEX);
    assertThat(MimiCodec.messageId(receipt).hex()).isEqualTo(RECEIPT_ID);
  }

  @Test
  void theSpecShowsTheseVectors() throws Exception {
    Path spec = Path.of("..", "docs", "spec", "content.md");
    String text = Files.readString(spec).replaceAll("\\s+", "");

    assertThat(text).contains(ROOM, TEXT_HEX, TEXT_ID, RECEIPT_HEX, RECEIPT_ID);
  }
}
