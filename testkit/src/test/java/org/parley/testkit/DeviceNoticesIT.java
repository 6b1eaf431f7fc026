package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.cli.ParleyRun;
import org.parley.client.ParleyClient;

/**
 * Issue 8, item 6: a device added to or removed from an account is told to the account's other
 * devices (from their monitoring of their own list in the key-transparency log) and to a contact
 * (when it next proves the account's list): in listen, in history and as typed --json events,
 * exactly once, with the device id and key fingerprint; nothing when nothing changed.
 */
class DeviceNoticesIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir Path dir;

  @Test
  void aLinkedAndARemovedDeviceAreToldToTheOtherDevicesAndToAContact() throws Exception {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice1 = people.register("alice");
      ParleyClient alice2 = people.link(alice1, "alice-2");
      ParleyClient bob = people.register("bob");
      assertThat(alice1.send("bob@example.org", "hi").recipientDevices()).isEqualTo(1);
      assertThat(ForgedEnvelopeIT.texts(bob.receive())).containsExactly("hi");
      assertThat(alice1.checkKeyTransparency()).isEmpty();
      assertThat(alice2.checkKeyTransparency()).isEmpty();
      // what each of them knew so far is no news
      assertThat(alice2.history("alice@example.org", 50)).isEmpty();
      assertThat(bob.history("alice@example.org", 50))
          .extracting(e -> e.kind().name())
          .containsExactly("TEXT");
      alice2.close();
      bob.close();

      ParleyRun.Background listen = ParleyRun.start(people.profile("alice-2"), "--json", "listen");
      try {
        assertThat(listen.awaitOut(Pattern.compile("\"event\":\"connected\""), WAIT)).isTrue();
        ParleyClient alice3 = people.link(alice1, "alice-3");
        String fingerprint = alice3.fingerprint();
        Pattern added =
            Pattern.compile(
                "\"event\":\"device_added\"[^\\n]*\"device\":3[^\\n]*"
                    + Pattern.quote(fingerprint));
        assertThat(listen.awaitOut(added, WAIT)).as("listen: %s", listen.out()).isTrue();

        // Bob learns it when he next proves Alice's list: here, for a message from the new device
        assertThat(alice3.send("bob@example.org", "from three").recipientDevices()).isEqualTo(1);
        ParleyRun received = ParleyRun.run(people.profile("bob-1"), "--json", "receive");
        assertThat(received.exit()).as("bob's receive: %s", received).isZero();
        assertThat(lines(received.out(), "device_added"))
            .singleElement()
            .asString()
            .contains("\"device\":3")
            .contains(fingerprint)
            .contains("alice@example.org")
            .contains("\"ownAccount\":false");
        assertThat(received.out()).contains("from three");

        alice1.removeDevice(3);
        Pattern removed =
            Pattern.compile(
                "\"event\":\"device_removed\"[^\\n]*\"device\":3[^\\n]*"
                    + Pattern.quote(fingerprint));
        assertThat(listen.awaitOut(removed, WAIT)).as("listen: %s", listen.out()).isTrue();
        ParleyRun sent =
            ParleyRun.run(people.profile("bob-1"), "--json", "send", "alice@example.org", "bye");
        assertThat(sent.exit()).as("bob's send: %s", sent).isZero();
        assertThat(lines(sent.out(), "device_removed"))
            .singleElement()
            .asString()
            .contains("\"device\":3")
            .contains(fingerprint);
        assertThat(sent.out()).contains("\"recipientDevices\":2");
      } finally {
        ParleyRun stopped = listen.stop();
        assertThat(lines(stopped.out(), "device_added")).as("listen: %s", stopped.out()).hasSize(1);
        assertThat(lines(stopped.out(), "device_removed")).hasSize(1);
      }

      // nothing changed since: no notice, for the contact nor for the owner's device
      ParleyRun again =
          ParleyRun.run(people.profile("bob-1"), "--json", "send", "alice@example.org", "again");
      assertThat(again.exit()).isZero();
      assertThat(again.out()).doesNotContain("\"event\":\"device_");
      ParleyRun quiet = ParleyRun.run(people.profile("alice-2"), "--json", "receive");
      assertThat(quiet.out()).doesNotContain("\"event\":\"device_");

      // and history keeps them, once each, in the conversation they belong to
      for (String profile : List.of("bob-1", "alice-2")) {
        ParleyRun history = ParleyRun.run(people.profile(profile), "history", "alice@example.org");
        assertThat(history.exit()).isZero();
        String[] notices =
            Arrays.stream(history.out().split("\\R"))
                .filter(l -> l.contains("device 3"))
                .toArray(String[]::new);
        assertThat(notices).as("%s's history: %s", profile, history.out()).hasSize(2);
        assertThat(notices[0]).contains("added").contains("safety number");
        assertThat(notices[1]).contains("removed");
        ParleyRun json =
            ParleyRun.run(people.profile(profile), "--json", "history", "alice@example.org");
        assertThat(json.out()).contains("\"kind\":\"device\"");
      }
    }
  }

  private static List<String> lines(String out, String event) {
    return Arrays.stream(out.split("\\R"))
        .filter(l -> l.contains("\"event\":\"" + event + "\""))
        .toList();
  }
}
