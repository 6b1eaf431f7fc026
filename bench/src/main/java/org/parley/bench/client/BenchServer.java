package org.parley.bench.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Parley server ({@code org.parley.server.ServerMain} on this JVM's class path and native library
 * settings) on a fresh SQLite data directory, deleted when it stops. Rate limits are lifted as the
 * relay bench lifts them: the bench sends far more from one sender than a person may.
 */
final class BenchServer implements AutoCloseable {
  static final String DOMAIN = "bench.parley.test";

  private static final List<String> LIMITS =
      List.of(
          "sends-per-pair-per-minute=1000000000",
          "sends-per-sender-per-minute=1000000000",
          "registrations-per-hour=1000000000",
          "key-fetches-per-pair-per-hour=1000000000",
          "key-fetches-per-caller-per-hour=1000000000",
          "one-time-keys-per-pair-per-hour=1000000000",
          "one-time-keys-per-device-per-hour=1000000000",
          "handle-lookups-per-minute=1000000000",
          "device-lists-per-minute=1000000000");

  private final Process process;
  private final Path dataDir;
  private final URI base;

  private BenchServer(Process process, Path dataDir, URI base) {
    this.process = process;
    this.dataDir = dataDir;
    this.base = base;
  }

  /** Starts the server with this key-transparency epoch and waits for {@code /v1/health}. */
  static BenchServer start(Duration ktEpoch) throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("parley-client-bench-server-");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command =
        new ArrayList<>(ChildJvm.prefix(System.getProperty("java.class.path"), true));
    command.add("org.parley.server.ServerMain");
    command.addAll(
        List.of(
            "--data-dir",
            dataDir.toString(),
            "--port",
            Integer.toString(port),
            "--host",
            "127.0.0.1",
            "--domain",
            DOMAIN,
            "--store",
            "sqlite",
            "--kt-epoch",
            ktEpoch.toMillis() + "ms"));
    for (String limit : LIMITS) {
      command.add("--limit");
      command.add(limit);
    }
    Path log = dataDir.resolve("server.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Thread reaper = new Thread(process::destroyForcibly, "client-bench-server-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    BenchServer server = new BenchServer(process, dataDir, URI.create("http://127.0.0.1:" + port));
    try {
      server.awaitHealthy(log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  URI base() {
    return base;
  }

  private void awaitHealthy(Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health =
        HttpRequest.newBuilder(base.resolve("/v1/health")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the server exited with " + process.exitValue() + ":\n" + Files.readString(log));
      }
      try {
        if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IOException(
        "the server did not answer /v1/health in 60 s:\n" + Files.readString(log));
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dataDir + ": " + e.getMessage());
    }
  }
}
