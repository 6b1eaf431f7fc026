package org.parley.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.parley.protocol.cbor.ByteString;

class MimiExamplesTest {
  static final List<String> CONTENT = Examples.CONTENT;

  @ParameterizedTest
  @FieldSource("CONTENT")
  void decodesAndReencodesByteExact(String name) throws Exception {
    byte[] encoded = Examples.cbor(name);

    MimiContent content = MimiCodec.decode(encoded);

    assertThat(MimiCodec.encode(content)).isEqualTo(encoded);
  }

  @ParameterizedTest
  @FieldSource("CONTENT")
  void derivesTheMessageIdTheExampleStates(String name) throws Exception {
    byte[] encoded = Examples.cbor(name);
    MimiContent content = MimiCodec.decode(encoded);
    MessageId stated = Examples.statedId(name).orElseThrow();

    assertThat(MimiCodec.messageId(content)).isEqualTo(stated);
    assertThat(
            MessageId.of(
                new MimiUri(content.extensions().senderUri().orElseThrow()),
                new MimiUri(Examples.ROOM),
                encoded))
        .isEqualTo(stated);
  }

  @Test
  void everyExampleFileIsCovered() throws Exception {
    Path folder =
        Path.of(MimiExamplesTest.class.getResource("/mimi-examples/README.md").toURI()).getParent();
    try (Stream<Path> files = Files.list(folder)) {
      List<String> cbor =
          files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".cbor")).toList();
      // 14 content examples, plus implied-original (MessageDerivedValuesTest) and status
      // (MessageStatusReportTest).
      assertThat(cbor)
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(CONTENT.stream(), Stream.of("implied-original", "status"))
                  .map(name -> name + ".cbor")
                  .toList());
    }
    assertThat(CONTENT).allSatisfy(name -> assertThat(Examples.statedId(name)).isPresent());
  }

  @Test
  void originalIsMarkdownFromAlice() throws Exception {
    MimiContent original = MimiCodec.decode(Examples.cbor("original"));

    assertThat(MimiCodec.messageId(original).hex())
        .isEqualTo("017ce54837404c3696e0c747b985cb172716d0ed0a3d249ca63ace7d82a096f4");
    assertThat(original.salt()).isEqualTo(Salt.ofHex("5eed9406c2545547ab6f09f20a18b003"));
    assertThat(original.extensions().senderUri()).contains("mimi://example.com/u/alice-smith");
    assertThat(original.extensions().roomUri()).contains(Examples.ROOM);
    assertThat(original.nestedPart().disposition()).isEqualTo(Disposition.RENDER);
    SinglePart part = (SinglePart) original.nestedPart().part();
    assertThat(part.contentType()).isEqualTo("text/markdown;variant=GFM-MIMI");
    assertThat(new String(part.content().toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("Hi everyone, we just shipped release 2.0. __Good  work__!");
  }

  @Test
  void repliesReactionsEditsAndDeletesReferToTheRightMessages() throws Exception {
    MessageId original = id("original");
    MessageId reply = id("reply");

    assertThat(decode("reply").inReplyTo()).contains(original);
    assertThat(decode("reaction").inReplyTo()).contains(original);
    assertThat(decode("reaction").nestedPart().disposition()).isEqualTo(Disposition.REACTION);
    assertThat(decode("edit").replaces()).contains(reply);
    assertThat(decode("delete").replaces()).contains(reply);
    assertThat(decode("delete").nestedPart().part()).isEqualTo(NullPart.INSTANCE);
    assertThat(decode("unlike").replaces()).contains(id("reaction"));
    assertThat(decode("unlike").nestedPart().disposition()).isEqualTo(Disposition.REACTION);
  }

  @Test
  void expiringCarriesAnAbsoluteExpiry() throws Exception {
    assertThat(decode("expiring").expires()).contains(Expiration.atEpochSecond(1644390004L));
  }

  @Test
  void attachmentIsAnEncryptedExternalPart() throws Exception {
    NestedPart body = decode("attachment").nestedPart();

    assertThat(body.disposition()).isEqualTo(Disposition.ATTACHMENT);
    assertThat(body.language()).isEqualTo("en");
    ExternalPart part = (ExternalPart) body.part();
    assertThat(part.url()).isEqualTo("https://example.com/storage/8ksB4bSrrRE.mp4");
    assertThat(part.size()).isEqualTo(708234961L);
    assertThat(part.encAlg()).isEqualTo(ExternalPart.AES_128_GCM);
    assertThat(part.key()).isEqualTo(ByteString.ofHex("21399320958a6f4c745dde670d95e0d8"));
    assertThat(part.nonce()).isEqualTo(ByteString.ofHex("c86cf2c33f21527d1dd76f5b"));
    assertThat(part.filename()).isEqualTo("bigfile.mp4");
    assertThat(part.toString()).contains("[REDACTED]").doesNotContain(part.key().hex());
  }

  @Test
  void conferencingIsASessionLinkInATopic() throws Exception {
    MimiContent content = decode("conferencing");

    assertThat(content.topicId())
        .isEqualTo(ByteString.of("Foo 118".getBytes(StandardCharsets.US_ASCII)));
    assertThat(content.nestedPart().disposition()).isEqualTo(Disposition.SESSION);
    assertThat(((ExternalPart) content.nestedPart().part()).encAlg()).isZero();
  }

  @Test
  void multipartSemanticsAndImpliedPartIndexes() throws Exception {
    MultiPart alternatives = (MultiPart) decode("multipart-1").nestedPart().part();
    assertThat(alternatives.partSemantics()).isEqualTo(PartSemantics.CHOOSE_ONE);

    MultiPart reactions = (MultiPart) decode("multipart-2").nestedPart().part();
    assertThat(reactions.partSemantics()).isEqualTo(PartSemantics.PROCESS_ALL);
    assertThat(reactions.parts()).hasSize(3);

    // The draft's nesting example: 11 parts (indexes 0..10), 4 levels deep.
    NestedPart nested = decode("multipart-3").nestedPart();
    assertThat(nested.partCount()).isEqualTo(11);
    assertThat(nested.depth()).isEqualTo(NestedPart.MAX_DEPTH);
  }

  private static MimiContent decode(String name) throws ContentFormatException {
    return MimiCodec.decode(Examples.cbor(name));
  }

  private static MessageId id(String name) throws ContentFormatException {
    return MimiCodec.messageId(decode(name));
  }
}
