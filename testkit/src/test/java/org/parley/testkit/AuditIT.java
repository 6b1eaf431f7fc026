package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;
import org.parley.client.audit.LogAuditor;

/**
 * An outside auditor ({@code parley audit}'s engine, with no account) audits a real server's log:
 * an honest log passes and the server publishes the auditor's signed head; a version inserted and
 * removed again before any distinguished entry showed it (issue 3, scenario 3) is rejected at the
 * draft's step 5.
 */
class AuditIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void anHonestLogPassesAndTheSignedAuditorHeadIsPublished(Backend backend) throws Exception {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      people.link(bob, "bob-2");
      alice.send("bob@example.org", "hello");

      LogAuditor auditor = new LogAuditor(server.uri(), dir.resolve("auditor"));
      LogAuditor.Result first = auditor.audit(true, line -> {});
      assertThat(first.treeSize()).isPositive();
      assertThat(first.published()).isTrue();
      String heads = get(server, "/v1/kt/auditor-heads");
      assertThat(heads).contains(first.auditorKey()).contains("\"treeSize\":" + first.treeSize());

      // alice requires this auditor from now on: its head verifies against her own view
      alice.requireAuditor(first.auditorKey(), Duration.ofHours(1));
      assertThat(alice.verify("bob@example.org").provenDevices()).containsExactly(1, 2);

      people.register("carol"); // the log grows; the same auditor continues consistently
      awaitSize(server, first.treeSize() + 1);
      alice.requireAuditor(first.auditorKey(), Duration.ofMillis(1)); // now it lags too far
      assertThatThrownBy(() -> alice.verify("bob@example.org"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("catches up");
      alice.requireAuditor("A".repeat(43), Duration.ofHours(1)); // an auditor who never signed
      assertThatThrownBy(() -> alice.verify("bob@example.org"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("publishes no head");
      alice.requireAuditor(first.auditorKey(), Duration.ofHours(1));
      LogAuditor.Result second = auditor.audit(true, line -> {});
      assertThat(second.treeSize()).isGreaterThan(first.treeSize());
      assertThat(get(server, "/v1/kt/auditor-heads")).contains("\"treeSize\":" + second.treeSize());
    }
  }

  @AllBackends
  void aVersionInsertedAndRemovedBeforeADistinguishedEntryIsRejected(Backend backend)
      throws Exception {
    try (ServerProcess server =
            ServerProcess.start(
                backend, dir.resolve("server"), List.of("--kt-test-misbehaviour", "true"));
        People people = new People(server, dir.resolve("clients"))) {
      ParleyClient bob = people.register("bob");
      people.register("alice");
      LogAuditor auditor = new LogAuditor(server.uri(), dir.resolve("auditor"));
      // The ghost entry must not be the root of the implicit search tree (the root is always
      // distinguished, and removing what it showed would be allowed): pad the log until the
      // entry that will hold the ghost, at position size, is not 2^k - 1.
      long size = awaitQuiet(server);
      while (Long.bitCount(size + 1) == 1 || Long.bitCount(size + 2) == 1) {
        people.register("pad" + size);
        size = awaitQuiet(server);
      }
      // clean so far (a heartbeat entry may have come meanwhile)
      assertThat(auditor.audit(false, line -> {}).treeSize()).isGreaterThanOrEqualTo(size);

      String bobAccount = bob.identity().orElseThrow().accountId().value();
      assertThat(post(server, "/v1/test/kt/hide/" + bobAccount)).isEqualTo(204);
      awaitSize(server, size + 2); // one entry shows the ghost version, the next removes it

      assertThatThrownBy(() -> auditor.audit(true, line -> {}))
          .isInstanceOf(LogAuditor.AuditFailure.class)
          .hasMessageContaining("step 5")
          .hasMessageContaining("evidence kept in");
      assertThat(get(server, "/v1/kt/auditor-heads")).doesNotContain("treeSize");
    }
  }

  /** Waits until no change is pending (two checks an epoch apart agree) and returns the size. */
  private static long awaitQuiet(ServerProcess server) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long size = treeSize(server);
    while (true) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the log kept growing for 20 s (last size " + size + ")");
      }
      Thread.sleep(600);
      long now = treeSize(server);
      if (now == size) {
        return now;
      }
      size = now;
    }
  }

  static void awaitSize(ServerProcess server, long size) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (treeSize(server) < size) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the log did not reach " + size + " entries");
      }
      Thread.sleep(50);
    }
  }

  static long treeSize(ServerProcess server) throws Exception {
    String body = get(server, "/v1/kt/config");
    return Long.parseLong(body.replaceAll(".*\"treeSize\":(\\d+).*", "$1"));
  }

  static String get(ServerProcess server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.uri() + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  static int post(ServerProcess server, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(server.uri() + path))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  /**
   * Issue 8, item 8: one auditor audits two servers, each with its own log, without a false
   * "configuration changed" alarm, and keeps each log's state apart (each audit continues from its
   * own last size). A server that shows another log than the one pinned for it is still an alarm.
   */
  @org.junit.jupiter.api.Test
  void oneAuditorKeepsAStatePerLog() throws Exception {
    try (ServerProcess one = ServerProcess.start(Backend.SQLITE, dir.resolve("one"));
        ServerProcess two = ServerProcess.start(Backend.SQLITE, dir.resolve("two"))) {
      Path auditorDir = dir.resolve("auditor");
      awaitSize(one, 1); // a new log is empty until its first epoch
      awaitSize(two, 1);
      LogAuditor.Result a = new LogAuditor(one.uri(), auditorDir).audit(false, line -> {});
      LogAuditor.Result b = new LogAuditor(two.uri(), auditorDir).audit(false, line -> {});
      assertThat(b.auditorKey()).isEqualTo(a.auditorKey()); // one auditor identity
      // each continues from its own log's last state (a heartbeat epoch may have added entries
      // since, so the same size must give the same root, and a log never shrinks)
      continues(new LogAuditor(one.uri(), auditorDir).audit(false, line -> {}), a);
      continues(new LogAuditor(two.uri(), auditorDir).audit(false, line -> {}), b);

      // the first server's address now shows another log: that is still an alarm
      ServerProcess other = one.replaceWith(dir.resolve("three"), List.of());
      try {
        assertThatThrownBy(() -> new LogAuditor(other.uri(), auditorDir).audit(false, line -> {}))
            .isInstanceOf(LogAuditor.AuditFailure.class)
            .hasMessageContaining("changed");
      } finally {
        other.close();
      }
    }
  }

  private static void continues(LogAuditor.Result again, LogAuditor.Result before) {
    assertThat(again.treeSize()).isGreaterThanOrEqualTo(before.treeSize());
    if (again.treeSize() == before.treeSize()) {
      assertThat(again.root()).isEqualTo(before.root());
    }
  }
}
