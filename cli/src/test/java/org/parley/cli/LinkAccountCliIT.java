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
 * Issue 8 item 5: a new device shows which account approved its link (handle and the approving
 * device's key fingerprint) and joins only that account once the person agrees, or the account
 * {@code --account} names; otherwise it declines and the approving account gets no device.
 */
class LinkAccountCliIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Pattern URI = Pattern.compile("Link URI:\\s+(parley://link/\\S+)");

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
                        .withEpoch(Duration.ofMillis(200), Duration.ofSeconds(5))));
    url = server.uri().toString();
    assertThat(as("bob", "register", "--server", url, "bob").exit()).isZero();
    assertThat(as("carol", "register", "--server", url, "carol").exit()).isZero();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCodeApprovedByAnotherAccountThanTheOneNamedIsDeclinedAndThatAccountGainsNoDevice()
      throws Exception {
    CliRun.Background link =
        CliRun.start(
            Map.of(),
            withProfile(
                "bob-laptop",
                "link",
                "--server",
                url,
                "--device-name",
                "laptop",
                "--account",
                "bob@example.org"));
    try {
      String uri = link.awaitOut(URI, WAIT).group(1);
      CliRun approve = as("carol", "devices", "approve", uri, "--yes");
      assertThat(approve.exit()).as(approve.err()).isZero();

      CliRun linked = link.await(WAIT);

      assertThat(linked.exit()).isEqualTo(1);
      linked.assertOneErrorLine();
      assertThat(linked.err())
          .contains("not joining carol@example.org: --account names bob@example.org")
          .contains("declined the link, so carol@example.org did not get it as a device");
      assertThat(linked.out())
          .contains("Approved by device 1 of carol@example.org")
          .contains("key fingerprint: " + fingerprint("carol"));
      assertThat(devices("carol")).hasSize(1);
      CliRun whoami = as("bob-laptop", "whoami");
      assertThat(whoami.exit()).isNotZero();
      assertThat(whoami.err()).contains("has no account");
    } finally {
      link.stop();
    }
  }

  @Test
  void answeringNoDeclinesAndTheApprovingAccountGainsNoDevice() throws Exception {
    CliRun.Background link =
        CliRun.startWithInput(
            "no\n",
            Map.of(),
            withProfile("carols-not", "link", "--server", url, "--device-name", "tablet"));
    try {
      String uri = link.awaitOut(URI, WAIT).group(1);
      assertThat(as("carol", "devices", "approve", uri, "--yes").exit()).isZero();

      CliRun linked = link.await(WAIT);

      assertThat(linked.exit()).isEqualTo(1);
      assertThat(linked.err())
          .contains("Join carol@example.org as a new device? [y/N] ")
          .contains("not joining carol@example.org: you answered no");
      assertThat(linked.out())
          .contains("Approved by device 1 of carol@example.org")
          .contains("key fingerprint: " + fingerprint("carol"));
      assertThat(devices("carol")).hasSize(1);
    } finally {
      link.stop();
    }
  }

  @Test
  void answeringYesJoinsTheAccountShown() throws Exception {
    CliRun.Background link =
        CliRun.startWithInput(
            "y\n",
            Map.of(),
            withProfile("bob-tablet", "link", "--server", url, "--device-name", "tablet"));
    try {
      String uri = link.awaitOut(URI, WAIT).group(1);
      assertThat(as("bob", "devices", "approve", uri, "--yes").exit()).isZero();

      CliRun linked = link.await(WAIT);

      assertThat(linked.exit()).as(linked.err()).isZero();
      assertThat(linked.out())
          .contains("Approved by device 1 of bob@example.org")
          .contains("key fingerprint: " + fingerprint("bob"))
          .containsPattern("Linked: this profile is device \\d+ of bob@example.org.");
      assertThat(devices("bob")).anyMatch(line -> line.contains("tablet"));
    } finally {
      link.stop();
    }
  }

  @Test
  void theNamedAccountIsJoinedWithoutAsking() throws Exception {
    CliRun.Background link =
        CliRun.start(
            Map.of(),
            withProfile(
                "bob-watch",
                "link",
                "--server",
                url,
                "--device-name",
                "watch",
                "--account",
                "bob"));
    try {
      String uri = link.awaitOut(URI, WAIT).group(1);
      assertThat(as("bob", "devices", "approve", uri, "--yes").exit()).isZero();

      CliRun linked = link.await(WAIT);

      assertThat(linked.exit()).as(linked.err()).isZero();
      assertThat(linked.err()).isEmpty();
      assertThat(linked.out())
          .contains("key fingerprint: " + fingerprint("bob"))
          .containsPattern("Linked: this profile is device \\d+ of bob@example.org.");
    } finally {
      link.stop();
    }
  }

  @Test
  void withJsonEachStepOfTheLinkIsALineToldApartByItsState() throws Exception {
    CliRun.Background link =
        CliRun.start(
            Map.of(),
            withProfile(
                "bob-desk",
                "--json",
                "link",
                "--server",
                url,
                "--device-name",
                "desk",
                "--account",
                "bob"));
    try {
      String uri =
          link.awaitOut(Pattern.compile("\"uri\":\"(parley://link/[^\"]+)\""), WAIT).group(1);
      assertThat(as("bob", "devices", "approve", uri, "--yes").exit()).isZero();

      CliRun linked = link.await(WAIT);

      assertThat(linked.exit()).as(linked.err()).isZero();
      List<JsonNode> lines = new ArrayList<>();
      for (String line : linked.outLines()) {
        lines.add(new ObjectMapper().readTree(line));
      }
      assertThat(lines)
          .extracting(l -> l.path("state").asText())
          .containsExactly("pending", "approved", "linked");
      lines.forEach(DocumentedJson::assertDocumented);
      assertThat(lines.get(2).path("handle").asText()).isEqualTo("bob@example.org");
      assertThat(lines.get(2).path("deviceName").asText()).isEqualTo("desk");
    } finally {
      link.stop();
    }
  }

  private static String fingerprint(String profile) {
    CliRun whoami = as(profile, "whoami");
    assertThat(whoami.exit()).isZero();
    var m = Pattern.compile("key fingerprint (\\S+)").matcher(whoami.out());
    assertThat(m.find()).as(whoami.out()).isTrue();
    return m.group(1);
  }

  private static List<String> devices(String profile) {
    CliRun list = as(profile, "devices", "list");
    assertThat(list.exit()).as(list.err()).isZero();
    return List.of(list.outLines());
  }

  private static CliRun as(String profile, String... args) {
    return CliRun.run(Map.of(), withProfile(profile, args));
  }

  private static String[] withProfile(String profile, String... args) {
    List<String> all = new ArrayList<>(List.of("--profile", dir.resolve(profile).toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }
}
