package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.protocol.Handle;

class DirectContentTest {
  private static final Handle ALICE = Handle.of("alice@parley.example");
  private static final Handle BOB = Handle.of("bob@parley.example");

  @Test
  void aSentCopyYieldsTheSameMessageIdAsThePeersCopy() throws Exception {
    MimiContent sent = DirectContent.text(ALICE, BOB, "Hello, Bob!");
    MessageId atBob =
        MessageId.of(
            DirectContent.user(ALICE), DirectContent.room(BOB, ALICE), MimiCodec.encode(sent));

    MimiContent copy = MimiCodec.decode(MimiCodec.encode(DirectContent.sentCopy(sent, BOB)));
    assertThat(DirectContent.sentCopyRecipient(copy)).contains("bob@parley.example");
    assertThat(DirectContent.sentCopyRecipient(sent)).isEmpty();
    MimiContent original = DirectContent.withoutSentCopyRecipient(copy);
    assertThat(DirectContent.id(ALICE, BOB, original)).isEqualTo(atBob);
    assertThat(MimiCodec.encode(original)).isEqualTo(MimiCodec.encode(sent));
  }

  @Test
  void theRoomIsTheSameFromBothSides() {
    assertThat(DirectContent.room(ALICE, BOB)).isEqualTo(DirectContent.room(BOB, ALICE));
    assertThat(DirectContent.user(ALICE).value()).isEqualTo("mimi://parley.example/u/alice");
  }
}
