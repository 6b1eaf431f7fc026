package org.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A Parley server running as a separate operating-system process (org.parley.server.ServerMain on
 * this test's classpath), so that tests can kill it with SIGKILL and start it again on the same
 * data and port.
 */
public final class ServerProcess implements AutoCloseable {
  public static final String DOMAIN = "example.org";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Backend backend;
  private final Path dataDir;
  private final String schema;
  private final int port;
  private final List<String> extraArgs;

  /** Whether closing this server drops its schema (not for a server beside another). */
  private final boolean ownsSchema;

  private Process process;

  private ServerProcess(Backend backend, Path dataDir, List<String> extraArgs) {
    this(backend, dataDir, extraArgs, freePort());
  }

  private ServerProcess(Backend backend, Path dataDir, List<String> extraArgs, int port) {
    this(
        backend,
        dataDir,
        extraArgs,
        port,
        "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16),
        true);
  }

  private ServerProcess(
      Backend backend,
      Path dataDir,
      List<String> extraArgs,
      int port,
      String schema,
      boolean ownsSchema) {
    this.backend = backend;
    this.dataDir = dataDir;
    this.extraArgs = List.copyOf(extraArgs);
    this.schema = schema;
    this.port = port;
    this.ownsSchema = ownsSchema;
  }

  /**
   * Starts a second server on the same PostgreSQL schema as {@code first}, with its own data
   * directory and port and a copy of {@code first}'s key-transparency keys: two nodes of one
   * deployment, publishing one log. The schema stays until {@code first} is closed.
   */
  public static ServerProcess startBeside(ServerProcess first, Path dataDir) throws IOException {
    if (first.backend != Backend.POSTGRES) {
      throw new IllegalStateException("servers share a database only on PostgreSQL");
    }
    Path keys = first.dataDir.resolve("kt");
    try (var files = Files.walk(keys)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = dataDir.resolve("kt").resolve(keys.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    ServerProcess second =
        new ServerProcess(first.backend, dataDir, first.extraArgs, freePort(), first.schema, false);
    second.launch();
    return second;
  }

  /**
   * Kills this (SQLite) server, copies its data directory, keys included, to {@code copy} and
   * starts it again: the copy can later run as a second server with the same keys and, up to now,
   * the same log, as an operator forking its log would.
   */
  public void copyDataTo(Path copy) throws IOException {
    if (backend != Backend.SQLITE) {
      throw new IllegalStateException("copying the data directory is for SQLite servers");
    }
    kill();
    try (var files = Files.walk(dataDir)) {
      for (Path from : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(dataDir.relativize(from).toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else if (!from.getFileName().toString().equals("server.log")) {
          Files.copy(from, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    launch();
  }

  /** Kills this server and starts one on {@code otherDataDir} at the same port. */
  public ServerProcess replaceWith(Path otherDataDir, List<String> extraArgs) {
    kill();
    ServerProcess other = new ServerProcess(backend, otherDataDir, extraArgs, port);
    other.launch();
    return other;
  }

  /** Starts a server on a fresh database of the given backend; data lives under {@code dataDir}. */
  public static ServerProcess start(Backend backend, Path dataDir) {
    return start(backend, dataDir, List.of());
  }

  /** As {@link #start(Backend, Path)}, with more ServerMain options (test switches). */
  public static ServerProcess start(Backend backend, Path dataDir, List<String> extraArgs) {
    ServerProcess server = new ServerProcess(backend, dataDir, extraArgs);
    server.launch();
    return server;
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public Backend backend() {
    return backend;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The PostgreSQL schema this server uses (meaningful for {@link Backend#POSTGRES}). */
  public String schema() {
    return schema;
  }

  public Path sqliteFile() {
    return dataDir.resolve("parley.db");
  }

  /** Kills the process with SIGKILL: no shutdown hook, no flush, no goodbye. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops the server cleanly (SIGTERM: its shutdown hook closes the store) and waits for it to
   * exit; the data stays for {@link #restart()}.
   */
  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
        kill();
        throw new IllegalStateException(
            "the server did not stop within 30 s of SIGTERM:\n" + log());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts the server again on the same data and port. */
  public void restart() {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  private void launch() {
    try {
      Files.createDirectories(dataDir);
      Files.deleteIfExists(dataDir.resolve("server.port"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-Xmx256m");
    // a test's process lives seconds: C1 alone and the serial collector spend far less CPU
    // getting there than the server's production JIT and GC would (the suite shares 2 cores)
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.add("-Dparley.test=true");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.parley.server.ServerMain");
    command.addAll(List.of("--data-dir", dataDir.toString()));
    command.addAll(List.of("--port", Integer.toString(port)));
    command.addAll(List.of("--domain", DOMAIN));
    // short epochs so a change reaches the key-transparency log within a fraction of a second
    command.addAll(List.of("--kt-epoch", "200ms", "--kt-heartbeat", "5s"));
    command.addAll(extraArgs);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .remove("PARLEY_STORE_PASSWORD"); // this JVM's own, if any, is not the test's
    if (backend == Backend.POSTGRES) {
      command.addAll(List.of("--store", "postgres"));
      org.parley.server.TestPostgres.ensureDatabase();
      for (var setting : org.parley.server.TestPostgres.storeSettings(schema).entrySet()) {
        if (setting.getKey().equals("password")) {
          // never on the command line (the server refuses it there): ps would show it
          builder.environment().put("PARLEY_STORE_PASSWORD", setting.getValue());
        } else if (!setting.getValue().isEmpty()) {
          command.addAll(List.of("--store-setting", setting.getKey() + "=" + setting.getValue()));
        }
      }
    } else {
      command.addAll(List.of("--store", "sqlite"));
    }
    try {
      process =
          builder
              .redirectErrorStream(true)
              .redirectOutput(
                  ProcessBuilder.Redirect.appendTo(dataDir.resolve("server.log").toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitHealthy();
  }

  private void awaitHealthy() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the server exited at start:\n" + log());
      }
      try {
        HttpResponse<Void> answer =
            http.send(
                HttpRequest.newBuilder(uri().resolve("/v1/health"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    throw new IllegalStateException("the server did not become healthy:\n" + log());
  }

  /**
   * The end of the server's console output after it printed a dump of its threads (SIGQUIT), for a
   * failure that may be the server stuck: the dump shows where each of its threads waits.
   */
  public String threadDumpAndLogTail(int lines) {
    Process p = process;
    if (p != null && p.isAlive()) {
      try {
        new ProcessBuilder("kill", "-QUIT", Long.toString(p.pid())).start().waitFor();
        sleep(1_000); // the JVM writes the dump to its standard output, the log
      } catch (IOException e) {
        return "(no thread dump: " + e.getMessage() + ")\n" + log();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String[] all = withoutJvmThreads(log()).split("\n", -1);
    return String.join(
        "\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }

  /** The JVM's own threads, left out of a dump so that CI's shortened output shows the server's. */
  private static final java.util.regex.Pattern JVM_THREAD =
      java.util.regex.Pattern.compile(
          "^\"(Reference Handler|Finalizer|Signal Dispatcher|Service Thread|Monitor Deflation"
              + " Thread|C[12] CompilerThread\\d+|Notification Thread|Common-Cleaner"
              + "|VirtualThread-unblocker|Attach Listener|PostgreSQL-JDBC-Cleaner"
              + "|(G1|GC|VM|CDS).*)\".*");

  /** Drops the JVM's threads' blocks (a quoted name line up to the next blank line) from a dump. */
  static String withoutJvmThreads(String log) {
    StringBuilder out = new StringBuilder();
    boolean skipping = false;
    for (String line : log.split("\n", -1)) {
      if (line.startsWith("\"")) {
        skipping = JVM_THREAD.matcher(line).matches();
      } else if (line.isBlank()) {
        skipping = false;
      }
      if (!skipping) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }

  /** The server's console output so far, for failure messages. */
  public String log() {
    try {
      return Files.readString(dataDir.resolve("server.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
          kill();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (backend == Backend.POSTGRES && ownsSchema) {
      Postgres.dropSchema(schema);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
