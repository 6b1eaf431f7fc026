package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;

/**
 * Issue 8, item 8: what the parley command does when things go wrong, against a real server in this
 * JVM: a send while the server is down waits in the outbox (exit 4) and goes out later, exactly
 * once; errors in --json mode are JSON with a documented code and exit code; a removed device
 * learns it and its profile can be reset; plain http:// to another host is refused.
 */
class FailuresCliIT {
  @TempDir Path dir;

  private ParleyServer start(int port) {
    return ParleyServer.start(
        ServerConfig.defaults()
            .withPort(port)
            .withDataDir(dir.resolve("server"))
            .withDomain("example.org")
            .withKt(
                org.parley.server.kt.KtSettings.defaults()
                    .withEpoch(java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5))));
  }

  @Test
  void aSendWhileTheServerIsDownWaitsInTheOutboxAndGoesOutOnce() throws Exception {
    int port = freePort();
    String url = "http://127.0.0.1:" + port;
    ParleyServer server = start(port);
    try {
      assertThat(as("alice", "register", "--server", url, "alice").exit()).isZero();
      assertThat(as("bob", "register", "--server", url, "bob").exit()).isZero();
      CliRun first = as("alice", "send", "bob", "one"); // failed once with exit 1: say why
      assertThat(first.exit()).as(first.err()).isZero();
      server.close();

      CliRun queued = as("alice", "--json", "send", "bob", "two");
      assertThat(queued.exit()).as(queued.err()).isEqualTo(Failures.UNREACHABLE);
      JsonNode result = new ObjectMapper().readTree(queued.out());
      DocumentedJson.assertDocumented(result);
      DocumentedJson.assertDocumented(new ObjectMapper().readTree(queued.err()));
      assertThat(result.path("pending").asBoolean()).isTrue();
      assertThat(result.path("status").asText()).startsWith("not sent yet, waiting in the outbox");
      JsonNode error = new ObjectMapper().readTree(queued.err()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("queued");
      assertThat(error.path("exit").asInt()).isEqualTo(4);

      CliRun history = as("alice", "history", "bob");
      assertThat(history.out()).contains("two  [not sent yet, waiting in the outbox");
      CliRun outbox = as("alice", "outbox");
      assertThat(outbox.exit()).isZero();
      assertThat(outbox.outLines()).hasSize(1);
      assertThat(outbox.out()).contains("two");

      server = start(port);
      CliRun sent = as("alice", "outbox", "--send");
      assertThat(sent.exit()).as(sent.err()).isZero();
      assertThat(sent.out())
          .contains("Sent the text to bob@example.org")
          .contains("The outbox is empty");
      CliRun received = as("bob", "receive");
      assertThat(received.out()).contains("one").contains("two");
      assertThat(as("bob", "receive").out()).doesNotContain("two"); // once
      assertThat(as("alice", "outbox", "--send").out()).contains("The outbox is empty");
      // a resend (as if the server's answer had been lost) is a repeat bob drops
      assertThat(as("bob", "history", "alice").outLines()).hasSize(2);
    } finally {
      server.close();
    }
  }

  @Test
  void errorsHaveAnExitCodePerClassAndAreJsonInJsonMode() throws Exception {
    int port = freePort();
    String url = "http://127.0.0.1:" + port;
    ParleyServer server = start(port);
    try {
      CliRun none = as("nobody", "--json", "send", "bob", "hi");
      assertThat(none.exit()).isEqualTo(Failures.NO_ACCOUNT);
      assertThat(none.out()).isEmpty();
      JsonNode error = new ObjectMapper().readTree(none.err()).path("error");
      assertThat(error.path("code").asText()).isEqualTo("not_registered");
      assertThat(error.path("message").asText()).contains("parley register");

      assertThat(as("alice", "register", "--server", url, "alice").exit()).isZero();
      CliRun unknown = as("alice", "--json", "send", "nobody", "hi");
      assertThat(unknown.exit()).isEqualTo(Failures.REFUSED);
      assertThat(new ObjectMapper().readTree(unknown.err()).path("error").path("code").asText())
          .isEqualTo("unknown_handle");

      CliRun usage = as("alice", "--json", "send");
      assertThat(usage.exit()).isEqualTo(Failures.USAGE);
      assertThat(new ObjectMapper().readTree(usage.err()).path("error").path("code").asText())
          .isEqualTo("usage");

      CliRun plain = as("carol", "register", "--server", "http://192.0.2.1:8080", "carol");
      assertThat(plain.exit()).isEqualTo(Failures.USAGE);
      assertThat(plain.err()).contains("plain http://").contains("--insecure-http");
      plain.assertOneErrorLine();

      server.close();
      CliRun down = as("alice", "--json", "receive");
      assertThat(down.exit()).isEqualTo(Failures.UNREACHABLE);
      assertThat(new ObjectMapper().readTree(down.err()).path("error").path("code").asText())
          .isEqualTo("server_unreachable");
      assertThat(CliRun.run(Map.of(), "--help").out()).contains("Exit codes: 0 done;");
    } finally {
      server.close();
    }
  }

  @Test
  void aRemovedDeviceLearnsItAndItsProfileCanBeReset() throws Exception {
    int port = freePort();
    String url = "http://127.0.0.1:" + port;
    ParleyServer server = start(port);
    try {
      try (ParleyClient one = ParleyClient.open(dir.resolve("carol-1"));
          ParleyClient two = ParleyClient.open(dir.resolve("carol-2"))) {
        one.register(java.net.URI.create(url), "carol", "phone");
        PendingLink pending = two.startLink(java.net.URI.create(url), "laptop");
        CompletableFuture<?> linked =
            CompletableFuture.runAsync(
                () ->
                    two.awaitLink(
                        org.parley.client.LinkConsent.expecting(
                            new org.parley.protocol.Handle("carol@example.org"))),
                r -> new Thread(r).start());
        one.approveLink(pending.uri());
        linked.get(60, TimeUnit.SECONDS);
        one.removeDevice(2);
      }
      CliRun removed = as("carol-2", "send", "carol", "hi");
      assertThat(removed.exit()).isEqualTo(Failures.NO_ACCOUNT);
      assertThat(removed.err()).contains("parley reset");

      CliRun active = as("carol-1", "reset", "--yes");
      assertThat(active.exit()).isEqualTo(Failures.FAILED);
      assertThat(active.err()).contains("still device 1 of carol@example.org");

      CliRun declined = CliRun.runWithInput("n\n", Map.of(), withProfile("carol-2", "reset"));
      assertThat(declined.exit()).isEqualTo(Failures.FAILED);
      assertThat(declined.err()).contains("not reset");

      CliRun reset = as("carol-2", "reset", "--yes");
      assertThat(reset.exit()).as(reset.err()).isZero();
      assertThat(reset.out()).contains("this device had been removed from its account");
      CliRun again = as("carol-2", "register", "--server", url, "carol2");
      assertThat(again.exit()).as(again.err()).isZero();
    } finally {
      server.close();
    }
  }

  private CliRun as(String profile, String... args) {
    return CliRun.run(Map.of(), withProfile(profile, args));
  }

  private String[] withProfile(String profile, String... args) {
    List<String> all = new ArrayList<>(List.of("--profile", dir.resolve(profile).toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
