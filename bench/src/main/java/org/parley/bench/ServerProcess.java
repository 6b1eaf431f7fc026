package org.parley.bench;

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
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Parley server started as a child process ({@code org.parley.server.ServerMain}) on this JVM's
 * class path, on a fresh data directory that is deleted when it stops.
 */
final class ServerProcess implements AutoCloseable {
  static final String DOMAIN = "bench.parley.test";

  private final Process process;
  private final Path dataDir;
  private final URI base;
  private final List<String> command;

  private ServerProcess(Process process, Path dataDir, URI base, List<String> command) {
    this.process = process;
    this.dataDir = dataDir;
    this.base = base;
    this.command = command;
  }

  /** The rate limits the benchmark lifts, each to a number it never reaches. */
  static final List<String> BENCH_LIMITS =
      List.of(
          "sends-per-pair-per-minute=1000000000",
          "sends-per-sender-per-minute=1000000000",
          "registrations-per-hour=1000000000",
          "key-fetches-per-pair-per-hour=1000000000",
          "key-fetches-per-caller-per-hour=1000000000",
          "handle-lookups-per-minute=1000000000",
          "device-lists-per-minute=1000000000",
          "sealed-sends-per-recipient-per-minute=1000000000",
          "sealed-sends-per-address-per-minute=1000000000");

  /**
   * Starts the server and waits until {@code GET /v1/health} answers.
   *
   * @param serverOptions further options for ServerMain (e.g. {@code --durability power-loss})
   * @param jvmOptions options for the server's JVM, besides the class path
   */
  static ServerProcess start(
      String store,
      Map<String, String> settings,
      List<String> serverOptions,
      List<String> jvmOptions)
      throws IOException, InterruptedException {
    Path dataDir = Files.createTempDirectory("parley-bench-");
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
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
            store));
    // The load generator sends as fast as the server takes from a few senders to a few
    // recipients: far beyond the per-sender and per-pair limits that protect a real server.
    // It lifts them explicitly (docs/benchmarks.md), so its figures measure the message path.
    for (String limit : BENCH_LIMITS) {
      command.add("--limit");
      command.add(limit);
    }
    command.addAll(serverOptions);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("PARLEY_STORE_PASSWORD");
    settings.forEach(
        (key, value) -> {
          if (key.equals("password")) {
            // the server refuses a password on its command line, where ps would show it
            builder.environment().put("PARLEY_STORE_PASSWORD", value);
          } else {
            command.add("--store-setting");
            command.add(key + "=" + value);
          }
        });
    Path log = dataDir.resolve("server.log");
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // a harness stopped with Ctrl-C must not leave its server running
    Thread reaper = new Thread(process::destroyForcibly, "parley-bench-server-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    process.onExit().thenRun(() -> removeHook(reaper));
    URI base = URI.create("http://127.0.0.1:" + port);
    ServerProcess server = new ServerProcess(process, dataDir, base, command);
    try {
      server.awaitHealthy(Duration.ofSeconds(60), log);
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  URI base() {
    return base;
  }

  long pid() {
    return process.pid();
  }

  OptionalLong cpuNanos() {
    return ProcessCpu.nanos(process.pid());
  }

  /** The command line, without the class path, for the report. */
  String describe() {
    List<String> shown = new ArrayList<>(command);
    int cp = shown.indexOf("-cp");
    if (cp >= 0) {
      shown.set(cp + 1, "<bench class path>");
    }
    return String.join(" ", shown);
  }

  private void awaitHealthy(Duration timeout, Path log) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest health =
        HttpRequest.newBuilder(base.resolve("/v1/health")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "the server exited with " + process.exitValue() + "; its output:\n" + tail(log));
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
    throw new IOException("the server did not answer /v1/health in " + timeout + ":\n" + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway and finds the process gone
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
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
