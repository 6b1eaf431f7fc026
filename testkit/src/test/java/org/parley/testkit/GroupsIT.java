package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.ClientException;
import org.parley.client.GroupInfo;
import org.parley.client.GroupSendResult;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;

/**
 * Three people with two devices each in a group, through a real server process (issue 10): every
 * device converges on the same state, talks with sender keys, admin rules hold for non-admins, and
 * a removed member's devices get nothing sent afterwards.
 */
class GroupsIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void threePeopleOnTwoDevicesEachTalkChangeTheGroupAndLeave(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice1 = people.register("alice");
      ParleyClient alice2 = people.link(alice1, "alice-2");
      ParleyClient bob1 = people.register("bob");
      ParleyClient bob2 = people.link(bob1, "bob-2");
      ParleyClient carol1 = people.register("carol");
      ParleyClient carol2 = people.link(carol1, "carol-2");
      List<ParleyClient> others = List.of(alice2, bob1, bob2, carol1, carol2);

      GroupInfo created =
          alice1.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      assertThat(created.members())
          .extracting(GroupInfo.GroupMember::handle, GroupInfo.GroupMember::admin)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("alice@example.org", true),
              org.assertj.core.groups.Tuple.tuple("bob@example.org", false),
              org.assertj.core.groups.Tuple.tuple("carol@example.org", false));
      for (ParleyClient device : others) {
        assertThat(device.receive())
            .filteredOn(ClientEvent.GroupChanged.class::isInstance)
            .singleElement()
            .satisfies(e -> assertThat(((ClientEvent.GroupChanged) e).group()).isEqualTo(created));
        assertThat(device.groups()).containsExactly(created);
      }

      String hello = "hello hikers " + UUID.randomUUID();
      GroupSendResult sent = alice1.sendToGroup("hikers", hello);
      assertThat(sent.devices()).isEqualTo(5);
      assertThat(sent.unreached()).isEmpty();
      for (ParleyClient device : others) {
        assertThat(texts(device.receive())).containsExactly(hello);
      }

      String reply = "hi from bob's second device " + UUID.randomUUID();
      assertThat(bob2.sendToGroup(created.id().substring(0, 10), reply).devices()).isEqualTo(5);
      for (ParleyClient device : List.of(alice1, alice2, bob1, carol1, carol2)) {
        assertThat(texts(device.receive())).containsExactly(reply);
      }
      for (ParleyClient device : List.of(alice1, carol2)) {
        assertThat(device.groupHistory("hikers", 10))
            .filteredOn(e -> e.kind() == HistoryEntry.Kind.TEXT)
            .extracting(HistoryEntry::text)
            .containsExactly(hello, reply);
      }

      // only admins change the group: refused on bob's own device before anything is sent
      assertThatThrownBy(() -> bob1.removeFromGroup("hikers", "carol@example.org"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("only an admin");
      assertThatThrownBy(() -> carol1.renameGroup("hikers", "carol's"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("only an admin");

      GroupInfo withoutCarol = alice1.removeFromGroup("hikers", "carol@example.org");
      assertThat(withoutCarol.members()).hasSize(2);
      for (ParleyClient device : others) {
        assertThat(device.receive())
            .filteredOn(ClientEvent.GroupChanged.class::isInstance)
            .singleElement()
            .satisfies(
                e ->
                    assertThat(((ClientEvent.GroupChanged) e).summary())
                        .contains("removed carol@example.org"));
      }
      assertThat(carol1.group("hikers").member()).isFalse();
      assertThat(carol2.group("hikers").member()).isFalse();

      String after = "carol is gone " + UUID.randomUUID();
      assertThat(bob1.sendToGroup("hikers", after).devices()).isEqualTo(3);
      for (ParleyClient device : List.of(alice1, alice2, bob2)) {
        assertThat(texts(device.receive())).containsExactly(after);
      }
      for (ParleyClient carol : List.of(carol1, carol2)) {
        assertThat(texts(carol.receive())).isEmpty();
        assertThat(carol.groupHistory("hikers", 10))
            .extracting(HistoryEntry::text)
            .doesNotContain(after);
        assertThatThrownBy(() -> carol.sendToGroup("hikers", "still here?"))
            .hasMessageContaining("no longer in");
      }

      // an admin hands over and leaves; the new admin adds carol back, who reads from then on
      alice1.setGroupAdmin("hikers", "bob@example.org", true);
      GroupInfo aliceLeft = alice1.leaveGroup("hikers");
      assertThat(aliceLeft.member()).isFalse();
      for (ParleyClient device : List.of(alice2, bob1, bob2)) {
        device.receive();
      }
      assertThat(bob1.group("hikers").members())
          .extracting(GroupInfo.GroupMember::handle, GroupInfo.GroupMember::admin)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("bob@example.org", true));
      GroupInfo back = bob1.addToGroup("hikers", List.of("carol@example.org"));
      assertThat(back.members()).hasSize(2);
      for (ParleyClient device : List.of(bob2, carol1, carol2)) {
        assertThat(device.receive()).anyMatch(ClientEvent.GroupChanged.class::isInstance);
        assertThat(device.group("hikers")).isEqualTo(bob1.group("hikers"));
      }
      String welcome = "welcome back " + UUID.randomUUID();
      assertThat(bob1.sendToGroup("hikers", welcome).devices()).isEqualTo(3);
      for (ParleyClient device : List.of(bob2, carol1, carol2)) {
        assertThat(texts(device.receive())).containsExactly(welcome);
      }
      assertThat(texts(alice1.receive())).isEmpty();
      assertThat(texts(alice2.receive())).isEmpty();
    }
  }

  @AllBackends
  void aDeviceLinkedAfterTheGroupWasMadeGetsItsStateAndTheNextMessage(Backend backend)
      throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob1 = people.register("bob");
      GroupInfo made = alice.createGroup("pair", List.of("bob@example.org"));
      alice.renameGroup("pair", "the pair"); // a state that only changes describe, not creation
      bob1.receive();
      String first = "first " + UUID.randomUUID();
      alice.sendToGroup("the pair", first);
      assertThat(texts(bob1.receive())).containsExactly(first);

      ParleyClient bob2 = people.link(bob1, "bob-2");
      String next = "after bob's new device " + UUID.randomUUID();
      // alice's cached list of bob has one device: the upload names bob stale, alice proves
      // bob's list again, gives the new device the state and the key, and sends on
      assertThat(alice.sendToGroup("the pair", next).devices()).isEqualTo(2);

      List<ClientEvent> events = bob2.receive();
      assertThat(events).anyMatch(ClientEvent.GroupChanged.class::isInstance);
      assertThat(texts(events)).containsExactly(next);
      assertThat(bob2.group("the pair")).isEqualTo(bob1.group("the pair"));
      assertThat(bob2.group("the pair").id()).isEqualTo(made.id());
      assertThat(texts(bob1.receive())).containsExactly(next);

      // a third device of bob's: bob's own first send gives it the state before the message
      ParleyClient bob3 = people.link(bob1, "bob-3");
      String own = "from bob's first device " + UUID.randomUUID();
      assertThat(bob1.sendToGroup("the pair", own).devices()).isEqualTo(3);
      List<ClientEvent> third = bob3.receive();
      assertThat(third).anyMatch(ClientEvent.GroupChanged.class::isInstance);
      assertThat(texts(third)).containsExactly(own);
      assertThat(texts(bob2.receive())).containsExactly(own);
      assertThat(texts(alice.receive())).containsExactly(own);
    }
  }

  /** The texts of the group messages (from others, or copies of this account's) received. */
  static List<String> texts(List<ClientEvent> events) {
    return events.stream()
        .map(
            e ->
                switch (e) {
                  case ClientEvent.MessageReceived r -> r.entry();
                  case ClientEvent.SentCopyReceived s -> s.entry();
                  default -> null;
                })
        .filter(entry -> entry != null && entry.peer().startsWith("group:"))
        .map(HistoryEntry::text)
        .toList();
  }
}
