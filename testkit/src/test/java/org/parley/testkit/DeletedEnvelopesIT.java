package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ParleyClient;

/**
 * What is deleted is gone (issue 8, item 10): once an envelope is acknowledged, neither the SQLite
 * database nor its WAL holds its id, its ciphertext or the row that tied its sender to its
 * recipient: not while the server runs (within a deadline), not after a clean shutdown, not after a
 * SIGKILL and a restart. And every file of the data directory is its owner's alone.
 */
class DeletedEnvelopesIT {
  @RegisterExtension final Servers servers = new Servers();

  private static final long DEADLINE_MILLIS = 15_000;

  @TempDir Path dir;

  @Test
  void anAcknowledgedEnvelopeLeavesNoTraceAfterACleanShutdown() {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      Traces traces = deliverOne(server, people);
      server.stop();
      traces.assertGone(server);
      server.restart();
      traces.assertGone(server);
    }
  }

  @Test
  void anAcknowledgedEnvelopeLeavesNoTraceAfterAKillAndARestart() {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      Traces traces = deliverOne(server, people);
      server.kill(); // right after the acknowledgement: the WAL still holds the frames
      server.restart();
      traces.assertGone(server);
    }
  }

  @Test
  void anAcknowledgedEnvelopeLeavesTheWalOfARunningServer() {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      Traces traces = deliverOne(server, people);
      long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
      while (!traces.hits(server).isEmpty() && System.currentTimeMillis() < deadline) {
        sleep(100);
      }
      traces.assertGone(server);
    }
  }

  /**
   * A group message's ciphertext is stored once for all its envelopes (docs/spec/api.md, "Group
   * messages"): it stays while a member has not acknowledged and is gone with the last one, from
   * the database and its WAL, after a SIGKILL and a restart.
   */
  @Test
  void aGroupMessagesSharedCiphertextGoesWithTheLastAcknowledgement() {
    ServerProcess server = servers.start(Backend.SQLITE);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      ParleyClient bob = people.register("bob");
      ParleyClient carol = people.register("carol");
      alice.createGroup("hikers", List.of("bob@example.org", "carol@example.org"));
      bob.receive();
      carol.receive();
      alice.sendToGroup("hikers", "this ciphertext must not outlive its last delivery");
      String bobId = bob.identity().orElseThrow().accountId().value();
      String carolId = carol.identity().orElseThrow().accountId().value();
      byte[] toBob = DatabaseScan.envelopeContents(server, bobId).getLast();
      byte[] toCarol = DatabaseScan.envelopeContents(server, carolId).getLast();
      // (the last envelope each: the sender key's distribution to each comes before it, one to one)
      // the ciphertext both envelopes end with: what the shared part holds
      byte[] shared = Arrays.copyOfRange(toBob, toBob.length - 48, toBob.length);
      assertThat(Arrays.copyOfRange(toCarol, toCarol.length - 48, toCarol.length))
          .isEqualTo(shared);
      Traces traces =
          new Traces(
              List.of(
                  shared,
                  DatabaseScan.envelopeIds(server, bobId)
                      .getLast()
                      .getBytes(StandardCharsets.US_ASCII),
                  DatabaseScan.envelopeIds(server, carolId)
                      .getLast()
                      .getBytes(StandardCharsets.US_ASCII)));

      bob.receive();
      assertThat(DatabaseScan.envelopeContents(server, carolId).getLast())
          .as("carol's envelope is whole while bob's is gone")
          .isEqualTo(toCarol);
      carol.receive();
      server.kill();
      server.restart();
      traces.assertGone(server);
    }
  }

  @Test
  void everyFileOfTheDataDirectoryIsTheOwnersAlone() throws Exception {
    Path data = dir.resolve("server");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (ServerProcess server = ServerProcess.start(Backend.SQLITE, data);
        People people = new People(server, dir.resolve("clients"))) {
      deliverOne(server, people);
      assertThat(
              Files.exists(data.resolve("parley.db-wal"))
                  || Files.exists(data.resolve("parley.db-shm")))
          .as("the WAL files exist while the server runs")
          .isTrue();
      assertPrivate(data);
      server.stop();
      assertPrivate(data);
    }
  }

  private static void assertPrivate(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data)) {
      for (Path p : files.filter(p -> !p.getFileName().toString().equals("server.log")).toList()) {
        String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        assertThat(mode)
            .as(data.relativize(p).toString())
            .isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }
  }

  /** Alice sends bob one message; bob receives and acknowledges it. */
  private static Traces deliverOne(ServerProcess server, People people) {
    ParleyClient alice = people.register("alice");
    ParleyClient bob = people.register("bob");
    String bobId = bob.identity().orElseThrow().accountId().value();
    alice.send("bob@example.org", "this envelope must not outlive its delivery");
    List<String> ids = DatabaseScan.envelopeIds(server, bobId);
    assertThat(ids).hasSize(1);
    String sender = DatabaseScan.envelopeSenders(server, bobId).getFirst();
    byte[] content = DatabaseScan.envelopeContents(server, bobId).getFirst();
    Traces traces =
        new Traces(
            List.of(
                ids.getFirst().getBytes(StandardCharsets.US_ASCII),
                // the row stores its id and its sender's account id side by side
                (ids.getFirst() + sender).getBytes(StandardCharsets.US_ASCII),
                Arrays.copyOfRange(content, 0, 48),
                Arrays.copyOfRange(content, content.length - 48, content.length)));
    assertThat(traces.hits(server)).as("the scan finds the queued envelope").isNotEmpty();
    bob.receive();
    assertThat(DatabaseScan.envelopeIds(server, bobId)).as("acknowledged").isEmpty();
    return traces;
  }

  private record Traces(List<byte[]> needles) {
    List<String> hits(ServerProcess server) {
      return needles.stream().flatMap(n -> DatabaseScan.rawFiles(server, n).stream()).toList();
    }

    void assertGone(ServerProcess server) {
      assertThat(hits(server)).as("files still holding the delivered envelope").isEmpty();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
