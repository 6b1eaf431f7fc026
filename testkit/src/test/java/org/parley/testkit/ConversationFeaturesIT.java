package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ChatResult;
import org.parley.client.ClientEvent;
import org.parley.client.ClientEvent.MessageChanged.Change;
import org.parley.client.ClientException;
import org.parley.client.GroupSendResult;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import org.parley.content.MessageId;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.ParleyUris;

/**
 * What people do in a conversation (issue 10, docs/spec/content.md section 2.1), through a real
 * server process on every device of every participant: three people with two devices each, in a
 * group and one-to-one. Replies, reactions and their removal, edits, unsend, read receipts (and
 * turning them off), and disappearing messages; then what a misbehaving client sends, each refused
 * with the reason recorded.
 */
class ConversationFeaturesIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void everyFeatureReachesAllSixDevicesInAGroup(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice1 = people.register("alice");
      ParleyClient alice2 = people.link(alice1, "alice-2");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      ParleyClient carol1 = people.register("carol");
      ParleyClient carol2 = people.link(carol1, "carol-2");
      List<ParleyClient> all = List.of(alice1, alice2, bob1, bob2, carol1, carol2);
      alice1.createGroup("friends", List.of("bob@example.org", "carol@example.org"));
      receiveAll(all);

      GroupSendResult lunch = alice1.sendToGroup("friends", "lunch?");
      receiveAll(all);
      String id = lunch.messageId().substring(0, 8);

      // a reply, from bob's second device, points at alice's text on every device
      ChatResult reply = bob2.reply(id, "yes");
      for (ParleyClient d : others(all, bob2)) {
        HistoryEntry got = received(d.receive(), "yes");
        assertThat(got.replyTo()).contains(lunch.messageId());
      }

      // a reaction, replaced by the same person's next one (from her other device), then removed
      carol1.react(id, "👍");
      expectChange(others(all, carol1), Change.REACTED, "carol@example.org");
      carol2.react(id, "❤");
      expectChange(others(all, carol2), Change.REACTED, "carol@example.org");
      for (ParleyClient d : all) {
        assertThat(message(d, "friends", lunch.messageId()).reactions())
            .extracting(HistoryEntry.Reaction::sender, HistoryEntry.Reaction::reaction)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("carol@example.org", "❤"));
      }
      carol1.removeReaction(id);
      expectChange(others(all, carol1), Change.REACTION_REMOVED, "carol@example.org");
      assertThat(message(bob1, "friends", lunch.messageId()).reactions()).isEmpty();

      // an edit from alice's other device; nobody else may edit or unsend her text
      alice2.edit(id, "lunch at noon?");
      expectChange(others(all, alice2), Change.EDITED, "alice@example.org");
      for (ParleyClient d : all) {
        HistoryEntry e = message(d, "friends", lunch.messageId());
        assertThat(e.text()).isEqualTo("lunch at noon?");
        assertThat(e.edits()).isEqualTo(1);
      }
      assertThatThrownBy(() -> bob1.edit(id, "lunch at one"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("only your own");
      assertThatThrownBy(() -> bob1.unsend(id))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("only your own");

      // bob takes his reply back: every device shows that it was unsent, and not its text
      bob1.unsend(reply.messageId().substring(0, 8));
      expectChange(others(all, bob1), Change.UNSENT, "bob@example.org");
      for (ParleyClient d : all) {
        HistoryEntry e = message(d, "friends", reply.messageId());
        assertThat(e.unsent()).isTrue();
        assertThat(e.text()).isEmpty();
      }

      // delivery receipts from the four devices of others; read receipts per person: bob reads,
      // carol turned hers off
      receiveAll(all);
      assertThat(message(alice1, "friends", lunch.messageId()).delivery().orElseThrow().delivered())
          .isEqualTo(4);
      carol1.setReadReceipts(false);
      assertThat(bob1.markRead("friends", true)).isEqualTo(1);
      assertThat(carol1.markRead("friends", true)).isEqualTo(1);
      bob1.receive(); // the next command that reaches the server sends the read receipts owed
      carol1.receive();
      expectChange(List.of(alice1, alice2), Change.READ, "bob@example.org");
      HistoryEntry.Delivery delivery =
          message(alice2, "friends", lunch.messageId()).delivery().orElseThrow();
      assertThat(delivery.readBy()).containsExactly("bob@example.org");
      assertThat(delivery.describe()).endsWith("read by bob@example.org");

      // disappearing messages: an admin sets the group's timer; a text then goes from every device
      alice1.setGroupTimer("friends", Duration.ofSeconds(3));
      receiveAll(all);
      GroupSendResult secret = bob2.sendToGroup("friends", "this goes away");
      for (ParleyClient d : others(all, bob2)) {
        assertThat(received(d.receive(), "this goes away").expiresAt()).isPresent();
      }
      for (ParleyClient d : all) {
        awaitGone(d, c -> c.groupHistory("friends", 50), secret.messageId());
        // the group's changes are in its history, as every member's device saw them
        assertThat(d.groupHistory("friends", 50))
            .filteredOn(e -> e.kind() == HistoryEntry.Kind.EVENT)
            .extracting(HistoryEntry::text)
            .containsExactly(
                "alice@example.org created it with bob@example.org, carol@example.org",
                "alice@example.org set messages to disappear after 3s");
      }
      assertThat(message(carol2, "friends", lunch.messageId()).text()).isEqualTo("lunch at noon?");
    }
  }

  @AllBackends
  void everyFeatureReachesBothDevicesOfBothPeopleOneToOne(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice1 = people.register("alice");
      ParleyClient alice2 = people.link(alice1, "alice-2");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      List<ParleyClient> all = List.of(alice1, alice2, bob1, bob2);

      SendResult hi = alice1.send("bob@example.org", "hi bob");
      receiveAll(all);
      String id = hi.messageId().substring(0, 8);

      bob2.reply(id, "hi alice");
      for (ParleyClient d : others(all, bob2)) {
        d.receive();
      }
      assertThat(lastText(alice2, "bob@example.org").replyTo()).contains(hi.messageId());
      assertThat(lastText(bob1, "alice@example.org").replyTo()).contains(hi.messageId());

      bob1.react(id, "😀");
      expectChange(others(all, bob1), Change.REACTED, "bob@example.org");
      assertThat(message(alice2, "bob@example.org", hi.messageId()).reactions())
          .extracting(HistoryEntry.Reaction::reaction)
          .containsExactly("😀");

      alice2.edit(id, "hi bob!");
      expectChange(others(all, alice2), Change.EDITED, "alice@example.org");
      assertThat(message(bob2, "alice@example.org", hi.messageId()).text()).isEqualTo("hi bob!");

      assertThat(bob1.markRead("alice@example.org", false)).isEqualTo(1);
      bob1.receive();
      expectChange(List.of(alice1, alice2), Change.READ, "bob@example.org");

      alice1.unsend(id);
      expectChange(others(all, alice1), Change.UNSENT, "alice@example.org");
      assertThat(message(bob1, "alice@example.org", hi.messageId()).unsent()).isTrue();
      assertThatThrownBy(() -> alice1.edit(id, "again"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("unsent");

      // either side sets the conversation's timer, for both
      bob2.setTimer("alice@example.org", Duration.ofSeconds(3));
      for (ParleyClient d : others(all, bob2)) {
        assertThat(d.receive())
            .filteredOn(ClientEvent.TimerChanged.class::isInstance)
            .singleElement()
            .satisfies(e -> assertThat(((ClientEvent.TimerChanged) e).seconds()).isEqualTo(3));
      }
      assertThat(alice1.timer("bob@example.org")).isEqualTo(Duration.ofSeconds(3));
      assertThat(alice2.history("bob@example.org", 50))
          .filteredOn(e -> e.kind() == HistoryEntry.Kind.EVENT)
          .extracting(HistoryEntry::text)
          .containsExactly("bob@example.org set messages to disappear after 3s");
      assertThat(bob2.history("alice@example.org", 50))
          .filteredOn(e -> e.kind() == HistoryEntry.Kind.EVENT)
          .extracting(HistoryEntry::text)
          .containsExactly("you set messages to disappear after 3s");
      SendResult secret = alice1.send("bob@example.org", "gone soon");
      receiveAll(all);
      awaitGone(alice1, c -> c.history("bob@example.org", 50), secret.messageId());
      awaitGone(alice2, c -> c.history("bob@example.org", 50), secret.messageId());
      awaitGone(bob1, c -> c.history("alice@example.org", 50), secret.messageId());
      awaitGone(bob2, c -> c.history("alice@example.org", 50), secret.messageId());
      // the timer holds for texts after it, and off turns it off
      alice2.setTimer("bob@example.org", Duration.ZERO);
      receiveAll(all);
      assertThat(bob1.timer("alice@example.org")).isEqualTo(Duration.ZERO);
    }
  }

  /**
   * A client that breaks the rules: editing or unsending someone else's message, reacting to a
   * message the recipient does not have. Each is dropped with the reason recorded in the
   * conversation, and the message it names is unchanged.
   */
  @AllBackends
  void whatBreaksTheRulesIsIgnoredWithTheReasonRecorded(Backend backend) {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      // mallory first: bob's registration waits for the log to publish him, and her with him
      RogueDevice mallory = RogueDevice.register(server.uri(), "mallory@example.org");
      ParleyClient bob = people.register("bob");
      SendResult mine = bob.send("mallory@example.org", "bob's own words");
      MessageId target = MessageId.ofHex(mine.messageId());
      MimiUri from = ParleyUris.user("mallory@example.org");
      MimiUri room = ParleyUris.directRoom("mallory@example.org", "bob@example.org");

      send(mallory, MimiContent.text(from, room, "mallory's words").withReplaces(target));
      send(mallory, MimiContent.delete(from, room, target));
      send(
          mallory, MimiContent.reaction(from, room, MessageId.ofHex("01" + "ab".repeat(31)), "👎"));
      send(mallory, MimiContent.text(from, room, "an honest text"));

      List<ClientEvent> events = bob.receive();
      assertThat(events)
          .filteredOn(ClientEvent.EnvelopeFailed.class::isInstance)
          .extracting(e -> ((ClientEvent.EnvelopeFailed) e).entry().text())
          .containsExactly(
              "an edit of someone else's message (by bob@example.org)",
              "an unsend of someone else's message (by bob@example.org)",
              "a reaction of a message this device does not have");
      assertThat(ConversationIT.texts(events, ClientEvent.MessageReceived.class))
          .containsExactly("an honest text");
      HistoryEntry kept = message(bob, "mallory@example.org", mine.messageId());
      assertThat(kept.text()).isEqualTo("bob's own words");
      assertThat(kept.unsent()).isFalse();
      assertThat(kept.edits()).isZero();
    }
  }

  private static void send(RogueDevice from, MimiContent content) {
    assertThat(from.sendRaw("bob@example.org", MimiCodec.encode(content))).isEqualTo(200);
  }

  private static void receiveAll(List<ParleyClient> devices) {
    for (ParleyClient d : devices) {
      d.receive();
    }
  }

  private static List<ParleyClient> others(List<ParleyClient> all, ParleyClient but) {
    return all.stream().filter(d -> d != but).toList();
  }

  /** Each device receives exactly one change of this kind, by {@code by}. */
  private static void expectChange(List<ParleyClient> devices, Change change, String by) {
    for (ParleyClient d : devices) {
      assertThat(d.receive())
          .filteredOn(ClientEvent.MessageChanged.class::isInstance)
          .map(ClientEvent.MessageChanged.class::cast)
          .filteredOn(c -> c.change() == change)
          .singleElement()
          .satisfies(c -> assertThat(c.by()).isEqualTo(by));
    }
  }

  /** The text stored for a received or sent-copy message of these events. */
  private static HistoryEntry received(List<ClientEvent> events, String text) {
    return events.stream()
        .map(
            e ->
                switch (e) {
                  case ClientEvent.MessageReceived r -> r.entry();
                  case ClientEvent.SentCopyReceived s -> s.entry();
                  default -> null;
                })
        .filter(e -> e != null && e.text().equals(text))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message \"" + text + "\" in " + events));
  }

  private static HistoryEntry message(ParleyClient d, String conversation, String messageId) {
    List<HistoryEntry> entries =
        conversation.contains("@")
            ? d.history(conversation, 100)
            : d.groupHistory(conversation, 100);
    return entries.stream()
        .filter(e -> e.messageId().equals(Optional.of(messageId)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no message " + messageId + " in " + entries));
  }

  private static HistoryEntry lastText(ParleyClient d, String handle) {
    return d.history(handle, 100).stream()
        .filter(e -> e.kind() == HistoryEntry.Kind.TEXT)
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  /** Waits (at most {@link #WAIT}) until the message is no longer in the device's history. */
  private static void awaitGone(
      ParleyClient d, Function<ParleyClient, List<HistoryEntry>> history, String messageId)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (history.apply(d).stream().anyMatch(e -> e.messageId().equals(Optional.of(messageId)))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("message " + messageId + " still shown after " + WAIT);
      }
      Thread.sleep(200);
    }
    assertThat(d.expireMessages()).isZero(); // the history's read deleted it already
  }
}
