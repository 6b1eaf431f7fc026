package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.MessageListener;
import org.parley.client.ParleyClient;

/**
 * A server made to misbehave (test-only code) against a group's members (issue 10; Rösler, Mainka
 * and Schwenk, "More is Less", EuroS&P 2018): what it forwards to a removed member's device, kept
 * connected and listening, stays unreadable; a change it withholds from one member is noticed at
 * the next group message that member reads.
 */
class GroupAttacksIT {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  /**
   * The server drops a group message for one member, then hands it over late, after the next one
   * (the paper's dropped and reordered messages; sender keys alone would not tell): the member's
   * device says so at once, from the Parley counter inside the encryption, and records it in the
   * group's history; a member the server left alone sees nothing of it.
   */
  @AllBackends
  void aMessageTheServerDropsOrDeliversLateIsNoticedThroughItsCounter(Backend backend)
      throws Exception {
    ServerProcess server = servers.start(backend, "--kt-test-misbehaviour", "true");
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      String carolAccount = carol.identity().orElseThrow().accountId().value();
      alice.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      bob.receive();
      carol.receive();
      alice.sendToGroup("hikers", "one");
      assertThat(GroupsIT.texts(carol.receive())).containsExactly("one"); // the control
      alice.receive();

      alice.sendToGroup("hikers", "two");
      List<byte[]> queued = DatabaseScan.envelopeContents(server, carolAccount);
      List<String> types = DatabaseScan.envelopeTypes(server, carolAccount);
      assertThat(queued).hasSize(1);
      assertThat(DatabaseScan.withholdQueued(server, carolAccount)).isEqualTo(1); // dropped
      alice.sendToGroup("hikers", "three");

      List<ClientEvent> got = carol.receive();
      assertThat(GroupsIT.texts(got)).containsExactly("three");
      assertThat(got)
          .filteredOn(ClientEvent.GroupGap.class::isInstance)
          .singleElement()
          .satisfies(
              e -> {
                ClientEvent.GroupGap gap = (ClientEvent.GroupGap) e;
                assertThat(gap.expected()).isEqualTo(2);
                assertThat(gap.got()).isEqualTo(3);
                assertThat(gap.detail()).contains("1 message from alice@example.org");
              });

      // the server hands the dropped message over after all: shown, and said to be late
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      Switch misbehave = new Switch(server);
      assertThat(
              types.getFirst().equals("sealed_sender")
                  ? misbehave.injectSealed(carolAccount, 1, queued.getFirst())
                  : misbehave.inject(
                      carolAccount,
                      1,
                      aliceAccount,
                      1,
                      "alice@example.org",
                      types.getFirst(),
                      queued.getFirst()))
          .isEqualTo(200);
      List<ClientEvent> late = carol.receive();
      assertThat(GroupsIT.texts(late)).containsExactly("two");
      assertThat(late)
          .filteredOn(ClientEvent.GroupGap.class::isInstance)
          .singleElement()
          .satisfies(e -> assertThat(((ClientEvent.GroupGap) e).detail()).contains("came late"));
      assertThat(carol.groupHistory("hikers", 50))
          .filteredOn(e -> e.kind() == HistoryEntry.Kind.EVENT)
          .extracting(HistoryEntry::text)
          .anyMatch(t -> t.contains("did not arrive"))
          .anyMatch(t -> t.contains("came late"));

      List<ClientEvent> bobs = bob.receive();
      assertThat(GroupsIT.texts(bobs)).containsExactly("one", "two", "three");
      assertThat(bobs).noneMatch(ClientEvent.GroupGap.class::isInstance);
    }
  }

  @AllBackends
  void aRemovedMembersListeningDeviceReadsNothingTheServerForwardsToIt(Backend backend)
      throws Exception {
    ServerProcess server = servers.start(backend, "--kt-test-misbehaviour", "true");
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      String carolAccount = carol.identity().orElseThrow().accountId().value();
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      alice.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      bob.receive();
      carol.receive();
      String before = "before carol left " + UUID.randomUUID();
      bob.sendToGroup("hikers", before);
      assertThat(GroupsIT.texts(carol.receive())).containsExactly(before); // the control
      alice.receive();

      List<ClientEvent> heard = new CopyOnWriteArrayList<>();
      try (MessageListener listening = carol.listen(heard::add)) {
        alice.removeFromGroup("hikers", "carol@example.org");
        await(
            heard,
            e -> e instanceof ClientEvent.GroupChanged g && !g.group().member(),
            "carol's device hears of her removal");
        bob.receive();
        String after = "after carol left " + UUID.randomUUID();
        assertThat(bob.sendToGroup("hikers", after).devices()).isEqualTo(1);

        // the server copies bob's group message, as queued for alice (after the distribution of
        // bob's new chain), into carol's queue, as from bob's device and as from alice's: the
        // same bytes the members got
        List<byte[]> queued = DatabaseScan.envelopeContents(server, aliceAccount);
        assertThat(DatabaseScan.envelopeTypes(server, aliceAccount))
            .containsExactly("message", "sender_key_message");
        Switch misbehave = new Switch(server);
        for (String[] from :
            new String[][] {{bobAccount, "bob@example.org"}, {aliceAccount, "alice@example.org"}}) {
          assertThat(
                  misbehave.inject(
                      carolAccount, 1, from[0], 1, from[1], "sender_key_message", queued.getLast()))
              .isEqualTo(200);
        }
        List<ClientEvent> failures =
            await(
                heard,
                e -> e instanceof ClientEvent.EnvelopeFailed,
                2,
                "carol's device drops both copies");
        assertThat(failures)
            .extracting(e -> ((ClientEvent.EnvelopeFailed) e).entry().text())
            .allSatisfy(why -> assertThat(why).contains("cannot decrypt a group message"));
        assertThat(GroupsIT.texts(heard)).isEmpty();
      }
      assertThat(carol.groupHistory("hikers", 10))
          .filteredOn(e -> e.kind() == HistoryEntry.Kind.TEXT)
          .extracting(HistoryEntry::text)
          .containsExactly(before);
      assertThat(GroupsIT.texts(alice.receive())).hasSize(1); // the members read it
    }
  }

  @AllBackends
  void aChangeTheServerWithholdsFromAMemberIsNoticedAtTheNextGroupMessage(Backend backend) {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      alice.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      bob.receive();
      carol.receive();
      carol.sendToGroup("hikers", "same state");
      List<ClientEvent> control = bob.receive();
      assertThat(GroupsIT.texts(control)).containsExactly("same state");
      assertThat(control).noneMatch(ClientEvent.GroupOutOfStep.class::isInstance);

      alice.renameGroup("hikers", "walkers");
      // the server withholds the change from bob, and only from bob
      assertThat(DatabaseScan.withholdQueued(server, bobAccount)).isEqualTo(1);
      carol.receive();
      String text = "after the rename " + UUID.randomUUID();
      carol.sendToGroup("walkers", text);

      List<ClientEvent> events = bob.receive();
      assertThat(GroupsIT.texts(events)).containsExactly(text);
      assertThat(events)
          .filteredOn(ClientEvent.GroupOutOfStep.class::isInstance)
          .singleElement()
          .satisfies(
              e -> {
                ClientEvent.GroupOutOfStep o = (ClientEvent.GroupOutOfStep) e;
                assertThat(o.sender()).isEqualTo("carol@example.org");
                assertThat(o.senderVersion()).isEqualTo(2);
                assertThat(o.ownVersion()).isEqualTo(1);
                assertThat(o.detail()).contains("a change has not reached this device");
              });
      assertThat(bob.group("hikers").version()).isEqualTo(1);
    }
  }

  @AllBackends
  void aGroupMessageThatComesBeforeItsGroupIsHeldUntilTheChangeArrives(Backend backend) {
    ServerProcess server = servers.start(backend, "--kt-test-misbehaviour", "true");
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      String aliceAccount = alice.identity().orElseThrow().accountId().value();
      String bobAccount = bob.identity().orElseThrow().accountId().value();
      alice.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      // the server holds back alice's change for bob, and gives it to him only later
      byte[] change = DatabaseScan.envelopeContents(server, bobAccount).getFirst();
      String type = DatabaseScan.envelopeTypes(server, bobAccount).getFirst();
      assertThat(DatabaseScan.withholdQueued(server, bobAccount)).isEqualTo(1);
      carol.receive();
      // one more than a device holds: held envelopes come first in every batch, so past 32 the
      // change they wait for could sit behind them unread
      List<String> early = new java.util.ArrayList<>();
      for (int i = 0; i <= 32; i++) {
        early.add("before bob knows the group " + i + " " + UUID.randomUUID());
        carol.sendToGroup("hikers", early.getLast());
      }

      List<ClientEvent> first = bob.receive();
      assertThat(GroupsIT.texts(first)).isEmpty();
      assertThat(first)
          .filteredOn(ClientEvent.EnvelopeHeld.class::isInstance)
          .hasSize(32)
          .allSatisfy(
              e ->
                  assertThat(((ClientEvent.EnvelopeHeld) e).reason())
                      .contains("does not hold yet"));
      assertThat(first)
          .filteredOn(ClientEvent.EnvelopeFailed.class::isInstance)
          .singleElement()
          .satisfies(
              e ->
                  assertThat(((ClientEvent.EnvelopeFailed) e).entry().text())
                      .contains("32 messages are waiting already"));
      assertThat(bob.groups()).isEmpty();

      assertThat(
              new Switch(server)
                  .inject(bobAccount, 1, aliceAccount, 1, "alice@example.org", type, change))
          .isEqualTo(200);
      List<ClientEvent> later = new java.util.ArrayList<>(bob.receive());
      later.addAll(bob.receive()); // the held messages come first, before the change, once more
      assertThat(later).anyMatch(ClientEvent.GroupChanged.class::isInstance);
      assertThat(GroupsIT.texts(later)).containsExactlyElementsOf(early.subList(0, 32));
      assertThat(bob.groupHistory("hikers", 50))
          .filteredOn(e -> e.kind() == HistoryEntry.Kind.TEXT)
          .extracting(HistoryEntry::text)
          .containsExactlyElementsOf(early.subList(0, 32));
    }
  }

  private static List<ClientEvent> await(
      List<ClientEvent> events, java.util.function.Predicate<ClientEvent> what, String why)
      throws InterruptedException {
    return await(events, what, 1, why);
  }

  /** Waits (at most {@link #DEADLINE}) until {@code count} events match; returns them. */
  private static List<ClientEvent> await(
      List<ClientEvent> events,
      java.util.function.Predicate<ClientEvent> what,
      int count,
      String why)
      throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      List<ClientEvent> matched = events.stream().filter(what).toList();
      if (matched.size() >= count) {
        return matched;
      }
      assertThat(System.nanoTime())
          .as(why + " within " + DEADLINE + "; got " + events)
          .isLessThan(deadline);
      Thread.sleep(50);
    }
  }
}
