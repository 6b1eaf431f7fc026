package org.parley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A nats-server of the harness's own, on a free port with its own configuration and a fresh store
 * directory that is deleted when it stops: for JetStream with an fsync per message ({@code
 * jetstream { sync_interval: always }}), a setting the shared server on 4222 does not have.
 * nats-server has it from v2.10.0 on; older ones refuse the configuration, and {@link #start} says
 * so.
 */
final class NatsServerProcess implements AutoCloseable {
  private final Process process;
  private final Path dir;
  private final int port;

  private NatsServerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * @param executable the nats-server binary
   * @throws IOException if it exits or does not listen within 30 s; the message holds its output
   */
  static NatsServerProcess startSyncAlways(String executable)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("parley-bench-nats-");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path config = dir.resolve("nats.conf");
    Files.writeString(
        config,
        String.join(
            "\n",
            "host: 127.0.0.1",
            "port: " + port,
            "jetstream {",
            "  store_dir: \"" + dir.resolve("store") + "\"",
            "  sync_interval: always",
            "}",
            ""));
    Path log = dir.resolve("nats.log");
    Process process =
        new ProcessBuilder(List.of(executable, "-c", config.toString()))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    Thread reaper = new Thread(process::destroyForcibly, "parley-bench-nats-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
    process.onExit().thenRun(() -> removeHook(reaper));
    NatsServerProcess server = new NatsServerProcess(process, dir, port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!process.isAlive()) {
        String output = Files.readString(log).strip();
        server.close();
        throw new IOException(
            executable
                + " ("
                + version(executable)
                + ") refused jetstream { sync_interval: always }"
                + " (nats-server has it from v2.10.0 on): "
                + output);
      }
      try (Socket probe = new Socket("127.0.0.1", port)) {
        return server;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          server.close();
          throw new IOException("nats-server did not listen on " + port + " within 30 s");
        }
        Thread.sleep(100);
      }
    }
  }

  private static String version(String executable) {
    try {
      Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      p.waitFor(5, TimeUnit.SECONDS);
      return out;
    } catch (IOException | InterruptedException e) {
      return "version unknown";
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway and finds the process gone
    }
  }

  String url() {
    return "nats://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
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
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
