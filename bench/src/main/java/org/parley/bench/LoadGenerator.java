package org.parley.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Load generator for the durable relay: P sender/receiver pairs push 512-byte messages through a
 * Parley server (SQLite or PostgreSQL store) and, in the same harness, through the anchors NATS
 * JetStream (default settings, and with an fsync per message) and RabbitMQ quorum queues, and print
 * throughput, end-to-end latency, server and harness CPU per message, losses and duplicates.
 */
@Command(
    name = "parley-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Drives P sender/receiver pairs through Parley, NATS JetStream and RabbitMQ and prints one row per"
          + " run: msg/s from the first send to the last arrival, end-to-end latency (arrival"
          + " minus the send time embedded in the message), server CPU per message, losses and"
          + " duplicates. It asserts nothing."
    })
public final class LoadGenerator implements Callable<Integer> {
  @Option(
      names = "--target",
      split = ",",
      defaultValue = "parley",
      description =
          "Systems to run, in order: parley; nats (JetStream on --nats-url, its defaults);"
              + " nats-fsync (JetStream with sync_interval: always, on a nats-server the harness"
              + " starts); rabbitmq (quorum queues on --rabbitmq-uri) (default: ${DEFAULT-VALUE}).")
  List<String> targets;

  @Option(
      names = "--parley-transport",
      defaultValue = "socket",
      description =
          "How Parley senders send: socket (send frames on their own WebSocket, protocol version"
              + " 2) or http (one PUT /v1/messages per message) (default: ${DEFAULT-VALUE}).")
  String parleyTransport;

  @Option(
      names = "--parley-durability",
      split = ",",
      description =
          "Durability modes to run each store in (process, power-loss), passed to the servers"
              + " the harness starts as --durability; not given: the server's default, unnamed.")
  List<String> parleyDurability;

  @Option(
      names = "--store",
      split = ",",
      defaultValue = "sqlite",
      description = "Parley stores to run, each on a fresh child server: sqlite, postgres.")
  List<String> stores;

  @Option(
      names = "--server",
      description = "Drive a running Parley server at this URL instead of starting one.")
  URI server;

  @Option(
      names = "--server-pid",
      defaultValue = "-1",
      description = "With --server: the server's process id, to read its CPU time from /proc.")
  long serverPid;

  @Option(
      names = "--server-jvm-options",
      defaultValue = "",
      description = "JVM options for the child server, space-separated (default: none).")
  String serverJvmOptions;

  @Option(
      names = "--pairs",
      split = ",",
      defaultValue = "1,10,100",
      description = "Numbers of sender/receiver pairs; one run each (default: ${DEFAULT-VALUE}).")
  List<Integer> pairs;

  @Option(
      names = "--messages",
      defaultValue = "20000",
      description =
          "Messages per run in total, split evenly over the pairs (rounded up to a multiple of"
              + " P) (default: ${DEFAULT-VALUE}).")
  int messages;

  @Option(
      names = "--warmup",
      defaultValue = "4000",
      description =
          "Messages per run sent before the measured phase, same pairs, not counted"
              + " (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "5",
      description = "Warm-up stops sending after this many seconds (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--initial-warmup-seconds",
      defaultValue = "0",
      description =
          "Before the first run on each system, send at full speed with up to 10 pairs for this"
              + " many seconds, not counted (default: ${DEFAULT-VALUE}).")
  int initialWarmupSeconds;

  @Option(
      names = "--duration",
      defaultValue = "0",
      description =
          "Measured sending stops after this many seconds even if --messages are not all sent;"
              + " 0: no limit (default: ${DEFAULT-VALUE}).")
  int durationSeconds;

  @Option(
      names = "--window",
      defaultValue = "16",
      description = "Sends in flight per sender (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--ack-batch",
      defaultValue = "100",
      description =
          "Receivers acknowledge this many messages at once, or what is pending after 5 ms"
              + " (default: ${DEFAULT-VALUE}).")
  int ackBatch;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Fixed offered rate in msg/s over all pairs, for latency at a given load; 0 sends as"
              + " fast as the window allows (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--json", description = "Print one JSON object per run instead of the table.")
  boolean json;

  @Option(
      names = "--timeout",
      defaultValue = "120",
      description = "Seconds a phase may take at most (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--idle-timeout",
      defaultValue = "10",
      description =
          "Seconds without a new arrival after which the missing messages count as lost"
              + " (default: ${DEFAULT-VALUE}).")
  int idleSeconds;

  @Option(
      names = "--pg-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/parley",
      description =
          "Database for --store postgres; each run gets a fresh schema in it, dropped after.")
  String pgUrl;

  @Option(names = "--pg-user", defaultValue = "postgres", description = "PostgreSQL user.")
  String pgUser;

  @Option(names = "--pg-password", defaultValue = "", description = "PostgreSQL password.")
  String pgPassword;

  @Option(
      names = "--nats-url",
      defaultValue = "nats://127.0.0.1:4222",
      description = "NATS server with JetStream for --target nats (default: ${DEFAULT-VALUE}).")
  String natsUrl;

  @Option(
      names = "--nats-server-binary",
      defaultValue = "/usr/sbin/nats-server",
      description = "nats-server to start for --target nats-fsync (default: ${DEFAULT-VALUE}).")
  String natsServerBinary;

  @Option(
      names = "--rabbitmq-uri",
      defaultValue = "amqp://guest:guest@127.0.0.1:5672",
      description = "RabbitMQ broker for --target rabbitmq (default: ${DEFAULT-VALUE}).")
  String rabbitUri;

  private static final List<String> TARGETS = List.of("parley", "nats", "nats-fsync", "rabbitmq");

  private String[] args = new String[0];
  private final PrintStream out = System.out;
  private final PrintStream log = System.err;
  private ResultTable table;

  public static void main(String[] args) {
    LoadGenerator generator = new LoadGenerator();
    generator.args = args.clone();
    int code = new CommandLine(generator).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() {
    if (!TARGETS.containsAll(targets)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--target takes " + String.join(", ", TARGETS) + ": " + targets);
    }
    if (!List.of("socket", "http").contains(parleyTransport)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--parley-transport takes socket or http: " + parleyTransport);
    }
    if (parleyDurability != null
        && !List.of("process", "power-loss").containsAll(parleyDurability)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "--parley-durability takes process, power-loss: " + parleyDurability);
    }
    if (window < 1 || ackBatch < 1 || ackBatch > 500 || messages < 1 || warmup < 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "need --window >= 1, 1 <= --ack-batch <= 500, --messages >= 1");
    }
    String command = commandLine();
    PrintStream header = json ? log : out;
    header.println("# command: " + command);
    header.println(
        "# java "
            + Runtime.version()
            + " ("
            + System.getProperty("java.vendor")
            + "), "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch"));
    header.println("# load average: " + loadAverage());
    table = new ResultTable(out);
    if (!json) {
      table.header();
    }
    for (String target : targets) {
      switch (target) {
        case "parley" -> runParley();
        case "nats" -> runNats();
        case "nats-fsync" -> runNatsFsync();
        case "rabbitmq" -> runRabbit();
        default -> throw new IllegalStateException("unchecked target " + target);
      }
    }
    header.println("# load average: " + loadAverage());
    if (!json) {
      out.println("# command: " + command);
    }
    return 0;
  }

  /** The machine's 1, 5 and 15 minute load averages: other work skews every figure. */
  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private void runParley() {
    ParleyTarget.Transport transport =
        parleyTransport.equals("http")
            ? ParleyTarget.Transport.HTTP
            : ParleyTarget.Transport.SOCKET;
    if (server != null) {
      String label = stores.isEmpty() ? "running" : stores.get(0);
      try (ParleyTarget target =
          new ParleyTarget(label, transport, server, serverPid, null, window, ackBatch)) {
        runAll(target);
      } catch (Exception e) {
        failed("parley at " + server, e);
      }
      return;
    }
    List<String> modes = parleyDurability == null ? Arrays.asList((String) null) : parleyDurability;
    for (String store : stores) {
      for (String mode : modes) {
        String label = mode == null ? store : store + " " + mode;
        List<String> serverOptions = mode == null ? List.of() : List.of("--durability", mode);
        boolean postgres = store.equals("postgres");
        try (PostgresSchema schema =
                postgres ? PostgresSchema.create(pgUrl, pgUser, pgPassword) : null;
            PostgresBackendCpu databaseCpu =
                postgres ? new PostgresBackendCpu(pgUrl, pgUser, pgPassword) : null;
            ServerProcess process =
                ServerProcess.start(
                    store,
                    schema == null ? Map.of() : schema.storeSettings(),
                    serverOptions,
                    serverJvmOptions.isBlank()
                        ? List.of()
                        : Arrays.asList(serverJvmOptions.trim().split("\\s+")));
            ParleyTarget target =
                new ParleyTarget(
                    label,
                    transport,
                    process.base(),
                    process.pid(),
                    databaseCpu,
                    window,
                    ackBatch)) {
          log.println("# server: " + process.describe());
          runAll(target);
        } catch (Exception e) {
          failed("parley on " + label, e);
        }
      }
    }
  }

  private void runNats() {
    try (NatsTarget target =
        new NatsTarget(natsUrl, "jetstream-file", NatsTarget.localServerPid(), ackBatch)) {
      runAll(target);
    } catch (Exception e) {
      failed("nats at " + natsUrl, e);
    }
  }

  private void runNatsFsync() {
    try (NatsServerProcess process = NatsServerProcess.startSyncAlways(natsServerBinary);
        NatsTarget target =
            new NatsTarget(process.url(), "jetstream-fsync", process.pid(), ackBatch)) {
      log.println("# nats-server for nats-fsync at " + process.url());
      runAll(target);
    } catch (Exception e) {
      failed("nats-fsync", e);
    }
  }

  private void runRabbit() {
    try (RabbitTarget target = new RabbitTarget(rabbitUri, window, ackBatch)) {
      runAll(target);
    } catch (Exception e) {
      failed("rabbitmq at " + rabbitUri.replaceFirst("//[^@/]*@", "//"), e);
    }
  }

  private void runAll(Target target) throws Exception {
    if (initialWarmupSeconds > 0) {
      warmUp(target);
    }
    for (int p : pairs) {
      int perPair = (messages + p - 1) / p;
      int warmupPerPair = (warmup + p - 1) / p;
      log.printf("# %s/%s P=%d: connecting%n", target.system(), target.store(), p);
      Driver driver =
          new Driver(
              target,
              window,
              rate,
              Duration.ofSeconds(idleSeconds),
              Duration.ofSeconds(timeoutSeconds));
      target.connect(p, driver.sink());
      try {
        if (warmup > 0) {
          log.printf(
              "# %s/%s P=%d: warm-up, up to %d messages in at most %d s%n",
              target.system(), target.store(), p, warmupPerPair * p, warmupSeconds);
          driver.run(p, warmupPerPair, Duration.ofSeconds(warmupSeconds));
        }
        log.printf(
            "# %s/%s P=%d: measuring, up to %d messages%s%n",
            target.system(),
            target.store(),
            p,
            perPair * p,
            durationSeconds > 0 ? " in at most " + durationSeconds + " s" : "");
        Driver.PhaseResult phase = driver.run(p, perPair, Duration.ofSeconds(durationSeconds));
        report(RunResult.of(target, window, rate, phase, target.problems()));
      } finally {
        target.disconnect();
      }
    }
  }

  /**
   * Warms a fresh server up before its first run, at full speed with up to 10 pairs, so that the
   * first rows (P=1, where a slow system sends few messages) do not measure the JIT compiler.
   */
  private void warmUp(Target target) throws Exception {
    int p = Math.min(10, pairs.stream().mapToInt(Integer::intValue).max().orElse(1));
    log.printf(
        "# %s/%s: initial warm-up, P=%d for %d s%n",
        target.system(), target.store(), p, initialWarmupSeconds);
    Driver driver =
        new Driver(
            target, window, 0, Duration.ofSeconds(idleSeconds), Duration.ofSeconds(timeoutSeconds));
    target.connect(p, driver.sink());
    try {
      driver.run(p, Integer.MAX_VALUE / p, Duration.ofSeconds(initialWarmupSeconds));
    } finally {
      target.disconnect();
    }
  }

  private void report(RunResult result) {
    if (json) {
      ObjectMapper mapper = new ObjectMapper();
      ObjectNode node = mapper.valueToTree(result);
      node.put("command", commandLine());
      out.println(node);
      out.flush();
    } else {
      table.row(result);
    }
  }

  private void failed(String what, Exception e) {
    log.println("! " + what + " failed: " + e);
    if (!json) {
      out.println("! " + what + " failed: " + e.getMessage());
    }
  }

  /** The JVM options and arguments this run was started with (the class path left out). */
  private String commandLine() {
    List<String> parts = new ArrayList<>();
    parts.add("java");
    parts.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    parts.add("-cp <bench class path> " + LoadGenerator.class.getName());
    for (String arg : args) {
      boolean plain = !arg.isEmpty() && arg.matches("[\\w@%+=:,./-]+");
      parts.add(plain ? arg : "'" + arg.replace("'", "'\\''") + "'");
    }
    return String.join(" ", parts);
  }
}
