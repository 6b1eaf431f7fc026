package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;

/**
 * The parley command driven as a person would, against a real server in this JVM (SQLite, real
 * sockets): each person and device is a profile directory of its own.
 */
class CliEndToEndIT {
  /** Bound for output of commands running in the background; generous for a loaded machine. */
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static ParleyServer server;
  private static String url;

  @BeforeAll
  static void startServer() {
    server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDir(dir.resolve("server"))
                .withDomain("example.org")
                .withKt(
                    org.parley.server.kt.KtSettings.defaults()
                        .withEpoch(
                            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5))));
    url = server.uri().toString();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void twoPeopleTalkAndOneOfThemLinksAndRemovesASecondDevice() throws Exception {
    // 1. accounts
    CliRun alice = as("alice", "register", "--server", url, "alice");
    assertSucceeded(alice);
    assertThat(alice.out())
        .startsWith("Registered alice@example.org on " + url + " as device 1 (cli,");
    CliRun bob = as("bob", "register", "--server", url, "bob@example.org");
    assertSucceeded(bob);
    assertThat(bob.out()).startsWith("Registered bob@example.org on ");

    // 2. a second device for alice: nothing is added until her first device approves it
    CliRun.Background link =
        start(
            "alice-laptop",
            "link",
            "--server",
            url,
            "--device-name",
            "laptop",
            "--account",
            "alice");
    try {
      String uri =
          link.awaitOut(Pattern.compile("Link URI:\\s+(parley://link/\\S+)"), WAIT).group(1);
      String code = link.awaitOut(Pattern.compile("Link code: (\\S+)"), WAIT).group(1);
      assertThat(uri).contains(code);
      CliRun before = as("alice", "devices", "list");
      assertSucceeded(before);
      assertThat(before.outLines()).hasSize(1);
      assertThat(before.out()).contains("(this device)").doesNotContain("laptop");

      CliRun approve = as("alice", "devices", "approve", uri, "--yes");
      assertSucceeded(approve);
      assertThat(approve.out())
          .contains("Device \"laptop\" asks to join this account.")
          .contains("(matches the link URI)")
          .contains("Approved: \"laptop\" joins this account once it accepts on its own screen");

      CliRun linked = link.await(WAIT);
      assertSucceeded(linked);
      assertThat(linked.out()).contains("Linked: this profile is device 2 of alice@example.org.");
    } finally {
      link.stop();
    }
    CliRun after = as("alice", "devices", "list");
    assertSucceeded(after);
    assertThat(after.outLines()).hasSize(2);
    assertThat(after.out()).contains("laptop");
    List<JsonNode> devices = jsonLines(as("alice", "--json", "devices", "list"));
    assertThat(devices).hasSize(2);
    assertThat(devices).extracting(d -> d.get("deviceId").asInt()).containsExactly(1, 2);
    assertThat(devices).extracting(d -> d.get("name").asText()).containsExactly("cli", "laptop");
    assertThat(devices)
        .extracting(d -> d.get("thisDevice").asBoolean())
        .containsExactly(true, false);
    assertThat(jsonLines(as("alice-laptop", "--json", "devices", "list")))
        .extracting(d -> d.get("thisDevice").asBoolean())
        .containsExactly(false, true);

    // 3. one message, received once, copied to alice's laptop, then confirmed delivered
    CliRun sent = as("alice", "send", "bob@example.org", "hello", "world");
    assertSucceeded(sent);
    assertThat(sent.out())
        .isEqualTo(
            "Sent to bob@example.org (1 device, and 1 other device of yours): sent to 1 device, not yet"
                + " delivered."
                + System.lineSeparator());
    CliRun received = as("bob", "receive");
    assertSucceeded(received);
    assertThat(received.outLines()).hasSize(1);
    assertThat(received.out()).contains("  alice@example.org/1: hello world");
    CliRun again = as("bob", "receive");
    assertSucceeded(again);
    assertThat(again.out().strip()).isEqualTo("No new messages.");
    CliRun copy = as("alice-laptop", "receive");
    assertSucceeded(copy);
    assertThat(copy.out()).contains("  -> bob@example.org (from your device 1): hello world");
    CliRun receipt = as("alice", "receive");
    assertSucceeded(receipt);
    assertThat(receipt.out())
        .contains("receipt from bob@example.org/1: \"hello world\" delivered to 1 of 1 device");
    // a message from standard input and from a file; an empty one is a usage error
    assertSucceeded(
        CliRun.runWithInput(
            "piped\nin\n", Map.of(), withProfile("alice", new String[] {"send", "bob", "-"})));
    java.nio.file.Path note = dir.resolve("note.txt");
    java.nio.file.Files.writeString(note, "from a file\n");
    assertSucceeded(as("alice", "send", "bob", "--file", note.toString()));
    assertThat(as("bob", "receive").out())
        .contains("alice@example.org/1: piped")
        .contains("alice@example.org/1: from a file");
    for (CliRun empty :
        List.of(
            as("alice", "send", "bob", ""),
            CliRun.runWithInput(
                "\n", Map.of(), withProfile("alice", new String[] {"send", "bob", "-"})),
            as("alice", "send", "bob"))) {
      assertThat(empty.exit()).isEqualTo(2);
      empty.assertOneErrorLine();
    }
    assertSucceeded(as("alice", "receive")); // the receipts, so the history below is as before
    CliRun history = as("alice", "history", "bob@example.org");
    assertSucceeded(history);
    assertThat(history.outLines()).hasSize(4); // "piped\nin" takes two lines
    assertThat(history.out())
        .contains("  -> bob@example.org: hello world  [delivered to 1 of 1 device]");

    // 4. a long-running listener prints a message as it arrives
    CliRun.Background listen = start("bob", "listen");
    try {
      listen.awaitOut(Pattern.compile("^\\* connected to ", Pattern.MULTILINE), WAIT);
      assertSucceeded(as("alice", "send", "bob", "are", "you", "there"));
      listen.awaitOut(
          Pattern.compile("  alice@example.org/1: are you there$", Pattern.MULTILINE), WAIT);
      listen.interrupt();
      CliRun listened = listen.await(WAIT);
      assertSucceeded(listened);
      assertThat(listened.outLines()[0])
          .isEqualTo("Listening as bob@example.org device 1. Ctrl-C stops.");
    } finally {
      listen.stop();
    }
    assertThat(as("alice", "receive").out())
        .contains("receipt from bob@example.org/1: \"are you there\" delivered to 1 of 1 device");

    // 4b. sealed sender: once bob writes back, alice's texts to him go sealed
    assertSucceeded(as("bob", "send", "alice", "sealed from now on?"));
    assertThat(as("alice", "receive").out()).contains("bob@example.org/1: sealed from now on?");
    JsonNode sealed = jsonLines(as("alice", "--json", "sealed")).get(0);
    assertThat(sealed.get("credentialRegistered").asBoolean()).isTrue();
    assertThat(sealed.get("contactDevices").asInt()).isEqualTo(1);
    assertThat(sealed.get("trustRoot").asText()).hasSize(66);
    assertSucceeded(as("alice", "send", "bob", "yes, sealed"));
    assertThat(as("bob", "receive").out()).contains("alice@example.org/1: yes, sealed");
    assertThat(as("alice", "sealed").out())
        .contains("trust root ")
        .contains("1 device of other people can be sent sealed messages")
        .contains("sender certificate valid until ");
    CliRun rotated = as("bob", "sealed", "--rotate");
    assertSucceeded(rotated);
    assertThat(rotated.out()).startsWith("Replaced this device's delivery credential.");
    assertSucceeded(as("alice", "send", "bob", "named again"));
    assertThat(as("bob", "receive").out()).contains("alice@example.org/1: named again");
    assertSucceeded(as("alice", "receive"));

    // 5. key transparency: what the log proves about bob, and an outside audit (no profile needed)
    CliRun verify = as("alice", "verify", "bob");
    assertSucceeded(verify);
    assertThat(verify.out())
        .contains("bob@example.org is account ")
        .contains("Key transparency: device list version 0, devices [1] proven in the log")
        .contains("Safety number:")
        .doesNotContain("ALARM")
        .doesNotContain("REFUSED");
    JsonNode verified = jsonLines(as("alice", "--json", "verify", "bob")).get(0);
    assertThat(verified.get("provenDevices").toString()).isEqualTo("[1]");
    assertThat(verified.get("alarms").size()).isZero();
    // the address that names the log travels out of band: a newcomer given it trusts no other
    String hash = verified.get("logHash").asText();
    assertThat(verify.out()).contains("Log: kt=" + hash);
    assertThat(as("alice", "whoami").out())
        .contains(
            "address to give others (it names the server's key-transparency log): "
                + url
                + "#kt="
                + hash);
    assertSucceeded(as("erin", "register", "--server", url + "#kt=" + hash, "erin"));
    CliRun wrongLog = as("fred", "register", "--server", url + "#kt=" + "A".repeat(43), "fred");
    assertThat(wrongLog.exit()).isNotZero();
    wrongLog.assertOneErrorLine();
    assertThat(wrongLog.err()).contains("not the one its address names");
    CliRun audit =
        CliRun.run(Map.of(), "audit", "--auditor-dir", dir.resolve("auditor").toString(), url);
    assertSucceeded(audit);
    assertThat(audit.out())
        .contains("entries pass the audit")
        .contains("the signed auditor head" + " was given to the server");
    CliRun badAudit =
        CliRun.run(
            Map.of(),
            "audit",
            "--auditor-dir",
            dir.resolve("auditor").toString(),
            "http://127.0.0.1:1");
    assertThat(badAudit.exit()).isEqualTo(Failures.UNREACHABLE);
    badAudit.assertOneErrorLine();

    // 6. a removed device stops working, and says so on one line
    CliRun removed = as("alice", "devices", "remove", "2");
    assertSucceeded(removed);
    assertThat(removed.out().strip()).isEqualTo("Removed device 2.");
    assertThat(jsonLines(as("alice", "--json", "devices", "list"))).hasSize(1);
    CliRun refused = as("alice-laptop", "receive");
    assertThat(refused.exit()).isEqualTo(Failures.NO_ACCOUNT);
    refused.assertOneErrorLine();
    assertThat(refused.err()).contains("was it removed?");
  }

  @Test
  void anAdminMakesAGroupTalksInItAndRemovesAMember() throws Exception {
    assertSucceeded(as("gina", "register", "--server", url, "gina"));
    assertSucceeded(as("hank", "register", "--server", url, "hank"));

    CliRun created = as("gina", "group", "create", "walkers", "hank");
    assertSucceeded(created);
    assertThat(created.out())
        .contains("walkers  (2 members, version 1)")
        .contains("gina@example.org  (admin)")
        .contains("hank@example.org");
    CliRun told = as("hank", "receive");
    assertSucceeded(told);
    assertThat(told.out())
        .contains("group walkers: gina@example.org created it with hank@example.org");
    assertThat(as("hank", "group", "list").out()).contains("walkers  (2 members, version 1)");

    CliRun sent = as("gina", "group", "send", "walkers", "hello", "walkers");
    assertSucceeded(sent);
    assertThat(sent.out().strip()).isEqualTo("Sent to walkers: 1 device");
    CliRun got = as("hank", "receive");
    assertSucceeded(got);
    String shortId =
        jsonLines(as("gina", "--json", "group", "show", "walkers"))
            .getFirst()
            .get("id")
            .asText()
            .substring(0, 8);
    assertThat(got.out()).contains("gina@example.org/1 in group " + shortId + ": hello walkers");
    assertThat(as("gina", "group", "history", "walkers").out())
        .contains("-> group " + shortId + ": hello walkers");
    assertThat(as("hank", "group", "history", "walkers").out()).contains("hello walkers");

    // what people do to a message, named by the digits history shows (issue 10)
    String msg =
        jsonLines(as("gina", "--json", "group", "history", "walkers"))
            .getLast()
            .get("messageId")
            .asText()
            .substring(0, 8);
    assertSucceeded(as("hank", "reply", msg, "count", "me", "in"));
    assertSucceeded(as("hank", "react", msg, "+1"));
    assertSucceeded(as("gina", "edit", msg, "hello", "walkers,", "9am"));
    CliRun ginaGot = as("gina", "receive");
    assertSucceeded(ginaGot);
    assertThat(ginaGot.out())
        .contains("(reply to #" + msg + ") count me in")
        .contains("hank@example.org in group " + shortId + " reacted +1 to #" + msg);
    CliRun hankGot = as("hank", "receive");
    assertSucceeded(hankGot);
    assertThat(hankGot.out())
        .contains(
            "gina@example.org in group " + shortId + " edited #" + msg + ": hello walkers, 9am");
    assertThat(as("hank", "group", "history", "walkers").out())
        .contains(
            "#"
                + msg
                + "  gina@example.org/1 in group "
                + shortId
                + ": hello walkers, 9am (edited)  {+1 hank@example.org}");
    assertSucceeded(as("hank", "receive")); // sends the read receipts the history owed
    assertThat(as("gina", "receive").out())
        .contains("hank@example.org in group " + shortId + " read #" + msg);
    assertThat(as("gina", "group", "history", "walkers").out())
        .contains("read by hank@example.org");
    assertSucceeded(as("gina", "unsend", msg));
    assertSucceeded(as("hank", "receive"));
    assertThat(as("hank", "group", "history", "walkers").out())
        .contains("#" + msg + "  gina@example.org/1 in group " + shortId + ": (unsent)");
    CliRun notMine = as("hank", "edit", msg, "mine now");
    assertThat(notMine.exit()).isNotZero();
    notMine.assertOneErrorLine();

    CliRun notAdmin = as("hank", "group", "rename", "walkers", "hank's");
    assertThat(notAdmin.exit()).isNotZero();
    notAdmin.assertOneErrorLine();
    assertThat(notAdmin.err()).contains("only an admin of walkers may do that");

    List<JsonNode> shown = jsonLines(as("gina", "--json", "group", "show", "walkers"));
    assertThat(shown).singleElement().satisfies(g -> assertThat(g.get("members")).hasSize(2));

    assertSucceeded(as("gina", "group", "remove", "walkers", "hank"));
    CliRun removed = as("hank", "receive");
    assertSucceeded(removed);
    assertThat(removed.out()).contains("removed hank@example.org");
    assertThat(as("hank", "group", "list").out()).contains("you are no longer in it");
    CliRun gone = as("hank", "group", "send", "walkers", "still there?");
    assertThat(gone.exit()).isNotZero();
    gone.assertOneErrorLine();
    assertThat(gone.err()).contains("no longer in walkers");
  }

  @Test
  void failuresAreOneLineWithANonZeroExit() {
    assertSucceeded(as("carol", "register", "--server", url, "carol"));

    CliRun unknown = as("carol", "send", "nobody@example.org", "hi");
    assertThat(unknown.exit()).isEqualTo(Failures.REFUSED);
    unknown.assertOneErrorLine();
    assertThat(unknown.err()).contains("nobody@example.org");
    assertThat(unknown.out()).isEmpty();

    CliRun taken = as("carol-again", "register", "--server", url, "carol");
    assertThat(taken.exit()).isEqualTo(Failures.REFUSED);
    taken.assertOneErrorLine();
    assertThat(taken.err()).contains("Pick another handle.");
    assertThat(taken.out()).isEmpty();
  }

  /** Runs {@code parley --profile <dir>/<profile> args...} to its end. */
  private static CliRun as(String profile, String... args) {
    return CliRun.run(Map.of(), withProfile(profile, args));
  }

  private static CliRun.Background start(String profile, String... args) {
    return CliRun.start(Map.of(), withProfile(profile, args));
  }

  private static String[] withProfile(String profile, String[] args) {
    List<String> all = new ArrayList<>(List.of("--profile", dir.resolve(profile).toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static void assertSucceeded(CliRun run) {
    assertThat(run.exit()).as("exit code; stdout: %s; stderr: %s", run.out(), run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }

  /** stdout of a --json run, one object per line, each of a shape client/README.md shows. */
  private static List<JsonNode> jsonLines(CliRun run) throws Exception {
    assertSucceeded(run);
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : run.outLines()) {
      JsonNode node = mapper.readTree(line);
      DocumentedJson.assertDocumented(node);
      nodes.add(node);
    }
    return nodes;
  }
}
