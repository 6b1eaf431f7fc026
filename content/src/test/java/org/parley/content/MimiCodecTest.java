package org.parley.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.protocol.cbor.ByteString;

class MimiCodecTest {
  static final MimiUri ALICE = ParleyUris.user("alice@parley.example");
  static final MimiUri ROOM = ParleyUris.directRoom("alice@parley.example", "bob@parley.example");

  /** A minimal valid message: zero salt, no extensions, a NullPart; variants swap one piece. */
  static final String SALT = "50" + "00".repeat(16);

  static final String NULL_BODY = "83016000";

  static String message(String extensions, String body) {
    return "87" + SALT + "f6" + "40" + "f6" + "f6" + extensions + body;
  }

  @Test
  void textFactoryRoundTripsWithAFreshSalt() throws Exception {
    MimiContent hello = MimiContent.text(ALICE, ROOM, "Hello, Bob 👋");

    MimiContent decoded = MimiCodec.decode(MimiCodec.encode(hello));

    assertThat(decoded).isEqualTo(hello);
    assertThat(decoded.plainText()).contains("Hello, Bob 👋");
    assertThat(decoded.extensions().senderUri()).contains(ALICE.value());
    assertThat(decoded.extensions().roomUri()).contains(ROOM.value());
    assertThat(MimiContent.text(ALICE, ROOM, "Hello, Bob 👋").salt()).isNotEqualTo(hello.salt());
  }

  @Test
  void replyReactionAndDeleteReferToTheirTarget() throws Exception {
    MimiContent original = MimiContent.text(ALICE, ROOM, "lunch?");
    MessageId id = MimiCodec.messageId(original);

    assertThat(MimiContent.reply(ALICE, ROOM, id, "at noon").inReplyTo()).contains(id);
    MimiContent like = MimiContent.reaction(ALICE, ROOM, id, "👍");
    assertThat(like.inReplyTo()).contains(id);
    assertThat(like.nestedPart().disposition()).isEqualTo(Disposition.REACTION);
    MimiContent delete = MimiContent.delete(ALICE, ROOM, id);
    assertThat(delete.replaces()).contains(id);
    assertThat(MimiCodec.decode(MimiCodec.encode(delete))).isEqualTo(delete);
  }

  @Test
  void messageIdDependsOnSenderRoomAndSalt() {
    MimiContent a = MimiContent.text(ALICE, ROOM, "same");
    MimiContent b = a.withSalt(Salt.random());
    byte[] encoded = MimiCodec.encode(a);
    MimiUri bob = ParleyUris.user("bob@parley.example");

    assertThat(MimiCodec.messageId(a)).isNotEqualTo(MimiCodec.messageId(b));
    assertThat(MessageId.of(ALICE, ROOM, encoded)).isEqualTo(MimiCodec.messageId(a));
    assertThat(MessageId.of(bob, ROOM, encoded)).isNotEqualTo(MessageId.of(ALICE, ROOM, encoded));
    assertThat(MimiCodec.messageId(a).hashAlgorithm()).isEqualTo(MessageId.SHA_256);
  }

  @Test
  void messageIdNeedsBothUris() throws Exception {
    MimiContent anonymous = MimiCodec.decode(hex(message("a0", NULL_BODY)));

    assertThatThrownBy(() -> MimiCodec.messageId(anonymous))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("senderUri");
    assertThat(MessageId.of(ALICE, ROOM, hex(message("a0", NULL_BODY))).hashAlgorithm()).isOne();
  }

  @Test
  void unknownExtensionsAndDispositionsAreCarried() throws Exception {
    // Extensions: 1 => "mimi:x", 3 => [1.5, h'00'], -1 => 32("x"); disposition 200.
    String extensions = "a3" + "01666d696d693a78" + "0382f93e004100" + "20d82061" + "78";
    byte[] encoded = hex(message(extensions, "8318c86000"));

    MimiContent content = MimiCodec.decode(encoded);

    assertThat(content.nestedPart().disposition().isKnown()).isFalse();
    assertThat(content.extensions().entries()).hasSize(3);
    assertThat(MimiCodec.encode(content)).isEqualTo(encoded);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          empty input                  | ''                                                  | truncated
          trailing byte                | 87${SALT}f640f6f6a083016000 00                       | trailing
          indefinite array             | 9f                                                  | indefinite
          six fields                   | 86${SALT}f640f6f6a0                                 | array of 7
          eight fields                 | 88${SALT}f640f6f6a08301600000                       | array of 7
          short salt                   | 874f${SALT15}f640f6f6a083016000                     | expected 16 bytes
          huge topicId length          | 87${SALT}f65bffffffffffffffff                       | exceeds the remaining
          huge array length            | 87${SALT}f640f6f6a09bffffffffffffffff               | exceeds the remaining
          text salt                    | 8770${SALT15}00f640f6f6a083016000                   | expected a byte string
          non-shortest length          | 87${SALT}f640f6f6a0830178000 0                      | shortest
          reserved info                | 87${SALT}f640f6f6a083017c00                         | reserved
          break                        | 87${SALT}f640f6f6a0ff                               | expected an array
          unknown cardinality          | 87${SALT}f640f6f6a083016004                         | unknown cardinality
          null part with 4 fields      | 87${SALT}f640f6f6a08401600000                       | needs 3 fields
          unknown part semantics       | 87${SALT}f640f6f6a0850160030382830160008301600 0    | unknown value 3
          one-part multipart           | 87${SALT}f640f6f6a085016003008183016000             | at least two
          disposition 256              | 87${SALT}f640f6f6a0831901006000                     | exceeds 255
          invalid UTF-8 language       | 87${SALT}f640f6f6a0830161ff00                       | UTF-8
          relative not bool            | 87${SALT}f64082000 0f6a083016000                    | boolean
          expiry beyond 32 bits        | 87${SALT}f64082f41b0000000100000000f6a083016000     | exceeds 4294967295
          replaces of 31 bytes         | 87${SALT}581f${ZERO31}40f6f6a083016000              | expected 32 bytes
          unsorted extensions          | 87${SALT}f640f6f6a202616101616283016000             | sorted
          duplicate extension          | 87${SALT}f640f6f6a201616101616283016000             | duplicate
          byte-string extension key    | 87${SALT}f640f6f6a141000083016000                   | integers or text
          non-text senderUri           | 87${SALT}f640f6f6a1010083016000                     | text strings
          unsafe integer key           | 87${SALT}f640f6f6a11b00200000000000000083016000     | 2^53
          extension too deep           | 87${SALT}f640f6f6a1038181818100 83016000            | deeply
          non-shortest float           | 87${SALT}f640f6f6a103fb3ff000000000000083016000     | shortest exact
          single-width NaN             | 87${SALT}f640f6f6a103fa7fc0000083016000             | NaN
          other half NaN               | 87${SALT}f640f6f6a103f97e0183016000                 | NaN
          two-byte small simple        | 87${SALT}f640f6f6a103f81083016000                   | simple value
          """)
  void rejects(String what, String template, String reason) {
    byte[] encoded =
        hex(
            template
                .replace("${SALT15}", "00".repeat(15))
                .replace("${SALT}", SALT)
                .replace("${ZERO31}", "00".repeat(31))
                .replace(" ", ""));

    assertThatThrownBy(() -> MimiCodec.decode(encoded))
        .as(what)
        .isInstanceOf(ContentFormatException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void rejectsNestingDeeperThanFourLevels() {
    String leaf = NULL_BODY;
    String part = leaf;
    for (int level = 0; level < 4; level++) {
      part = "850160030082" + part + leaf; // processAll MultiPart of two parts
    }

    byte[] encoded = hex(message("a0", part));

    assertThatThrownBy(() -> MimiCodec.decode(encoded))
        .isInstanceOf(ContentFormatException.class)
        .hasMessageContaining("nested more than 4");
  }

  @Test
  void rejectsOverlongTopicIds() {
    String topic = "5a00001001" + "00".repeat(4097);
    byte[] encoded = hex("87" + SALT + "f6" + topic + "f6f6a0" + NULL_BODY);

    assertThatThrownBy(() -> MimiCodec.decode(encoded))
        .isInstanceOf(ContentFormatException.class)
        .hasMessageContaining("topicId");
  }

  @Test
  void factoriesRefuseWhatTheDecoderWouldRefuse() {
    assertThatThrownBy(() -> new Salt(ByteString.of(new byte[15])))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MimiContent.text(ALICE, ROOM, "\ud800"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Expiration(false, 1L << 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MimiUri("no scheme")).isInstanceOf(IllegalArgumentException.class);
  }

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex);
  }
}
