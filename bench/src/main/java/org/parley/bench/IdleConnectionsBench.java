package org.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.protocol.Handle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The "Connections" figure of issue 9: as many idle devices as one server process can hold, each on
 * its own WebSocket (protocol version 2) from client children on several loopback source addresses;
 * the server's heap, resident memory, threads and open files before and after; then the time to
 * deliver one message to every one of them from one pipelining sender. It asserts nothing.
 */
@Command(
    name = "parley-idle-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Opens N idle WebSockets to one Parley server (SQLite) and prints what they cost it and the"
          + " time to deliver one message to each."
    })
public final class IdleConnectionsBench implements Callable<Integer> {
  @Option(
      names = "--connections",
      defaultValue = "max",
      description =
          "Idle devices to connect, or max: the server's open-files limit minus the files it has"
              + " open before the test minus --reserve-files (default: ${DEFAULT-VALUE}).")
  String connections;

  @Option(
      names = "--reserve-files",
      defaultValue = "16",
      description =
          "With max: files left to the server for what it opens during the run (SQLite"
              + " temporary files, log rolls, jcmd's attach socket) (default: ${DEFAULT-VALUE}).")
  int reserveFiles;

  @Option(
      names = "--clients",
      defaultValue = "4",
      description =
          "Client child JVMs, each on its own source address 127.0.0.2, .3, ... (each may hold"
              + " at most 20,000 open files too) (default: ${DEFAULT-VALUE}).")
  int clients;

  @Option(
      names = "--server-jvm-options",
      defaultValue = "-Xms2g -Xmx2g -XX:+AlwaysPreTouch",
      description = "JVM options of the child server, space-separated (default: ${DEFAULT-VALUE}).")
  String serverJvmOptions;

  @Option(
      names = "--client-jvm-options",
      defaultValue = "-Xms384m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
      description = "JVM options of each client child (default: ${DEFAULT-VALUE}).")
  String clientJvmOptions;

  @Option(
      names = "--register-threads",
      defaultValue = "8",
      description = "Registrations in flight (default: ${DEFAULT-VALUE}).")
  int registerThreads;

  @Option(
      names = "--concurrent-opens",
      defaultValue = "16",
      description = "Upgrades in flight per client child (default: ${DEFAULT-VALUE}).")
  int concurrentOpens;

  @Option(
      names = "--window",
      defaultValue = "128",
      description = "The sender's unanswered sends at most (default: ${DEFAULT-VALUE}).")
  int window;

  @Option(
      names = "--growth-file",
      description =
          "Also write every class's heap growth (after minus before, per connection) to this"
              + " file, largest first.")
  java.nio.file.Path growthFile;

  @Option(
      names = "--profile",
      description =
          "Record the server's fan-out (first send until every ack) with JFR (settings=profile)"
              + " into this file.")
  java.nio.file.Path profile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new IdleConnectionsBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (ServerProcess server =
        ServerProcess.start("sqlite", Map.of(), List.of(), split(serverJvmOptions))) {
      long pid = server.pid();
      int limit = ServerFootprint.openFilesLimit(pid);
      int wanted = connections.equals("max") ? limit : Integer.parseInt(connections);
      List<ParleyAccount> accounts = register(server.base(), wanted + 1);
      ParleyAccount senderAccount = accounts.remove(0);
      IdleQuiet.await(pid, "after registering");
      int filesBefore = ServerFootprint.openFiles(pid);
      Map<String, Integer> fileKinds = ServerFootprint.openFileKinds(pid);
      int n =
          connections.equals("max")
              ? Math.min(accounts.size(), limit - filesBefore - 1 - reserveFiles)
              : wanted;
      accounts = accounts.subList(0, n);
      log(
          "open-files limit %,d; the server has %,d open (%s); connecting %,d devices",
          limit, filesBefore, fileKinds, n);

      URI websocket = URI.create(server.base().toString().replaceFirst("^http", "ws"));
      FanOutSender sender = new FanOutSender(window);
      sender.open(websocket.resolve("/v1/websocket"), senderAccount.authorization());
      ServerFootprint before = ServerFootprint.of(pid);

      long openStart = System.nanoTime();
      try (IdleClients clients =
          IdleClients.start(
              server.base(), shares(accounts), split(clientJvmOptions), concurrentOpens)) {
        if (!clients.await("connected", IdleClients.Status::ready, n, Duration.ofMinutes(10))) {
          log("not every device connected; stopping");
          return 1;
        }
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        IdleQuiet.await(pid, "with every device connected");
        ServerFootprint after = ServerFootprint.of(pid);
        log(
            "live heap %,d -> %,d bytes: %,d per connection",
            before.liveHeapBytes(),
            after.liveHeapBytes(),
            (after.liveHeapBytes() - before.liveHeapBytes()) / n);
        if (growthFile != null) {
          IdleReport.writeGrowth(growthFile, before, after, n);
        }

        Delivery delivery = deliver(server, sender, clients, accounts);
        IdleReport report =
            new IdleReport(
                limit,
                filesBefore,
                fileKinds,
                n,
                clients.pids().size(),
                openSeconds,
                before,
                after,
                delivery);
        report.print(System.out);
        return delivery.complete() ? 0 : 1;
      } finally {
        sender.close();
      }
    }
  }

  /** The figures of one delivery to every device. */
  @SuppressWarnings("ArrayRecordComponent") // the arrival times: built once, only read
  record Delivery(
      long messages,
      long sent,
      long refused,
      long arrived,
      long acked,
      long firstSendNanos,
      long lastSendNanos,
      long lastAnswerNanos,
      long[] arrivalNanos,
      long serverCpuNanos,
      boolean complete) {}

  private Delivery deliver(
      ServerProcess server, FanOutSender sender, IdleClients clients, List<ParleyAccount> accounts)
      throws Exception {
    int n = accounts.size();
    byte[][] recipients = new byte[n][];
    for (int i = 0; i < n; i++) {
      recipients[i] = WireCbor.text(accounts.get(i).credentials().accountId().value());
    }
    log("sending one message to each of %,d devices", n);
    if (profile != null) {
      ServerFootprint.jcmd(
          server.pid(),
          "JFR.start name=fanout settings=profile jdk.CPUTimeSample#enabled=true jdk.CPUTimeSample#throttle=2ms filename="
              + profile.toAbsolutePath());
    }
    long cpuBefore = server.cpuNanos().orElse(-1);
    long firstSend = System.nanoTime();
    for (int i = 0; i < n; i++) {
      Payload payload = new Payload(System.nanoTime(), 1, i, 0);
      sender.send(recipients[i], accounts.get(i).registrationId(), payload);
    }
    long lastSend = System.nanoTime();
    boolean answered = sender.awaitAnswers(n, Duration.ofMinutes(3));
    boolean arrived =
        clients.await("arrived", IdleClients.Status::arrived, n, Duration.ofMinutes(3));
    boolean acked = clients.await("acked", IdleClients.Status::acked, n, Duration.ofMinutes(2));
    long cpuAfter = server.cpuNanos().orElse(-1);
    if (profile != null) {
      ServerFootprint.jcmd(server.pid(), "JFR.stop name=fanout");
    }
    long[] arrivals = clients.arrivals(Duration.ofSeconds(30));
    IdleClients.Status total = clients.total();
    if (sender.problem() != null) {
      log("sender: %s", sender.problem());
    }
    return new Delivery(
        n,
        sender.sent(),
        sender.refused(),
        total.arrived(),
        total.acked(),
        firstSend,
        lastSend,
        sender.lastAnswerNanos(),
        Arrays.stream(arrivals).filter(t -> t != 0).sorted().toArray(),
        cpuBefore < 0 || cpuAfter < 0 ? -1 : cpuAfter - cpuBefore,
        answered && arrived && acked && sender.refused() == 0 && total.problems() == 0);
  }

  /** Registers {@code count} accounts of one device each, a few at a time. */
  private List<ParleyAccount> register(URI base, int count) throws Exception {
    long start = System.nanoTime();
    String prefix = "idle" + Long.toHexString(System.nanoTime() & 0xffffff);
    AtomicInteger done = new AtomicInteger();
    List<Future<ParleyAccount>> futures = new ArrayList<>(count);
    try (HttpClient http =
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(registerThreads)) {
      for (int i = 0; i < count; i++) {
        Handle handle = Handle.of(prefix + "d" + i + "@" + ServerProcess.DOMAIN);
        futures.add(
            pool.submit(
                () -> {
                  ParleyAccount account = ParleyAccount.register(http, base, handle);
                  int d = done.incrementAndGet();
                  if (d % 2000 == 0 || d == count) {
                    log(
                        "registered %,d of %,d (%.0f s)",
                        d, count, (System.nanoTime() - start) / 1e9);
                  }
                  return account;
                }));
      }
      List<ParleyAccount> accounts = new ArrayList<>(count);
      for (Future<ParleyAccount> f : futures) {
        accounts.add(f.get());
      }
      return accounts;
    } // closing the client closes its connections, so the server's files are counted without them
  }

  /** The accounts split over the client children, one share each. */
  private List<List<String>> shares(List<ParleyAccount> accounts) {
    List<List<String>> shares = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < accounts.size(); i++) {
      shares.get(i % clients).add(accounts.get(i).authorization());
    }
    return shares;
  }

  private static List<String> split(String options) {
    return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
  }

  static void log(String format, Object... args) {
    System.err.printf("idle-bench: " + format + "%n", args);
  }
}
