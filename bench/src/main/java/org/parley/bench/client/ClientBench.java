package org.parley.bench.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Client figures (docs/benchmarks.md, "Client"): a real server as a child process, one sender whose
 * every request goes through a {@link CountingProxy}, and the costs a person feels: opening a
 * profile (the first open of a fresh JVM, and again in a warm one), a send to a known contact in
 * process, the first message to a new contact, and {@code parley send} from the shell; with the
 * HTTP requests each send makes. Prints numbers; asserts only that every send was sent.
 */
@Command(
    name = "parley-client-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Measures profile open, sends and requests per send of the Parley client.")
public final class ClientBench implements Callable<Integer> {
  @Option(
      names = "--sends",
      defaultValue = "50",
      description = "Measured in-process sends to the known contact (default: ${DEFAULT-VALUE}).")
  int sends;

  @Option(
      names = "--new-contacts",
      defaultValue = "10",
      description = "Contacts registered to measure first messages (default: ${DEFAULT-VALUE}).")
  int newContacts;

  @Option(
      names = "--opens",
      defaultValue = "20",
      description = "Warm in-process profile opens (default: ${DEFAULT-VALUE}).")
  int opens;

  @Option(
      names = "--rounds",
      defaultValue = "10",
      description =
          "Fresh JVMs for the first open, and parley send runs from the shell"
              + " (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--parley",
      paramLabel = "PATH",
      description = "The parley command to run from the shell (bin/parley); none: not measured.")
  Path parley;

  @Option(
      names = "--plain-class-path",
      paramLabel = "CP",
      description =
          "A class path with libsignal's jar as Maven has it, to measure the first open as it was"
              + " before bin/parley prepared the native library (optional).")
  String plainClassPath;

  @Option(
      names = "--kt-epoch-ms",
      defaultValue = "500",
      description = "The server's key-transparency epoch in ms (default: ${DEFAULT-VALUE}).")
  int ktEpochMillis;

  private final List<String> notes = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ClientBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("parley-client-bench-");
    Duration epoch = Duration.ofMillis(ktEpochMillis);
    List<String> rows = new ArrayList<>();
    try (BenchServer server = BenchServer.start(epoch);
        CountingProxy proxy = CountingProxy.start(server.base())) {
      Path alice = work.resolve("alice");
      String bob = "bob@" + BenchServer.DOMAIN;
      try (ParleyClient a = ParleyClient.open(alice);
          ParleyClient b = ParleyClient.open(work.resolve("bob"))) {
        a.register(proxy.base(), "alice@" + BenchServer.DOMAIN, "bench");
        b.register(server.base(), bob, "bench");
        requireSent(a.send(bob, "hello")); // the session and the contact exist from here on
      }
      rows.addAll(firstOpens(alice, work));
      rows.add(warmOpens(alice).row());
      rows.add(knownContactSends(alice, bob, proxy).row());
      rows.add(socketSends(work, server, bob).row());
      rows.add(newContactSends(alice, work, server, proxy, epoch).row());
      if (parley != null) {
        rows.addAll(shellSends(alice, bob, proxy, work));
      }
    }
    print(rows);
    return 0;
  }

  /** How a fresh JVM for the first open is started. */
  private record Variant(String label, String classPath, boolean nativeSettings, Path archive) {}

  /**
   * The first open of a fresh JVM: on this JVM's class path (bin/parley's, with the native library
   * prepared), then with a class-data archive of its own as bin/parley keeps one per command, and,
   * if given, on the plain Maven class path (the library copied out of the jar at each start).
   */
  private List<String> firstOpens(Path profile, Path work)
      throws IOException, InterruptedException {
    String here = System.getProperty("java.class.path");
    List<Variant> variants = new ArrayList<>();
    variants.add(new Variant("this class path", here, true, null));
    variants.add(
        new Variant("this class path, class-data archive", here, true, work.resolve("open.jsa")));
    if (plainClassPath != null) {
      variants.add(new Variant("plain Maven class path", plainClassPath, false, null));
    }
    List<String> rows = new ArrayList<>();
    for (Variant variant : variants) {
      Figures open = new Figures("first open, fresh JVM, " + variant.label());
      Figures identity = new Figures("first identity() after it, " + variant.label());
      Figures second = new Figures("second open + identity(), same JVM, " + variant.label());
      List<String> command =
          new ArrayList<>(ChildJvm.prefix(variant.classPath(), variant.nativeSettings()));
      if (variant.archive() != null) {
        command.addAll(
            1,
            List.of(
                "-XX:SharedArchiveFile=" + variant.archive(),
                "-XX:+AutoCreateSharedArchive",
                "-Xlog:cds*=off"));
        Map<String, Double> unused = runFirstOpen(command, profile); // writes the archive
      }
      for (int i = 0; i < rounds; i++) {
        Map<String, Double> values = runFirstOpen(command, profile);
        open.add(values.get("open"));
        identity.add(values.get("identity"));
        second.add(values.get("second"));
      }
      rows.add(open.row());
      rows.add(identity.row());
      rows.add(second.row());
    }
    return rows;
  }

  private static Map<String, Double> runFirstOpen(List<String> jvm, Path profile)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(jvm);
    command.add(FirstOpen.class.getName());
    command.add(profile.toString());
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("FirstOpen failed:\n" + out);
    }
    Map<String, Double> values = new HashMap<>();
    for (String pair : out.lines().reduce((x, y) -> y).orElse("").split(" ")) {
      String[] kv = pair.split("=");
      values.put(kv[0], Double.parseDouble(kv[1]));
    }
    return values;
  }

  private Figures warmOpens(Path profile) {
    Figures figures = new Figures("open + identity(), warm JVM (in process)");
    for (int i = 0; i < opens + 3; i++) {
      long start = System.nanoTime();
      try (ParleyClient client = ParleyClient.open(profile)) {
        FirstOpen.requireRegistered(client);
        if (i >= 3) { // the first ones load and compile the classes
          figures.addNanos(System.nanoTime() - start);
        }
      }
    }
    return figures;
  }

  private Figures knownContactSends(Path profile, String bob, CountingProxy proxy) {
    Figures figures = new Figures("send to a known contact (in process)");
    try (ParleyClient client = ParleyClient.open(profile)) {
      for (int i = 0; i < 5; i++) {
        requireSent(client.send(bob, "warm-up " + i));
      }
      Map<String, Long> before = proxy.byEndpoint();
      for (int i = 0; i < sends; i++) {
        long start = System.nanoTime();
        requireSent(client.send(bob, "message " + i));
        figures.addNanos(System.nanoTime() - start);
      }
      note("requests per send to a known contact", before, proxy.byEndpoint(), sends);
    }
    return figures;
  }

  /**
   * A send to a known contact while the sender's listener holds its version 2 socket open: the send
   * travels on it (no HTTP request; testkit's SocketSendIT checks that). This sender talks to the
   * server directly, as the counting relay does not carry WebSockets.
   */
  private Figures socketSends(Path work, BenchServer server, String bob) throws Exception {
    Figures figures = new Figures("send to a known contact over the open socket (in process)");
    try (ParleyClient client = ParleyClient.open(work.resolve("dave"))) {
      client.register(server.base(), "dave@" + BenchServer.DOMAIN, "bench");
      java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
      try (var listener =
          client.listen(
              e -> {
                if (e instanceof org.parley.client.ClientEvent.ConnectionChanged c
                    && c.connected()) {
                  connected.countDown();
                }
              })) {
        if (!connected.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
          throw new IllegalStateException("the listener did not connect");
        }
        for (int i = 0; i < 5; i++) {
          requireSent(client.send(bob, "warm-up " + i));
        }
        for (int i = 0; i < sends; i++) {
          long start = System.nanoTime();
          requireSent(client.send(bob, "message " + i));
          figures.addNanos(System.nanoTime() - start);
        }
      }
    }
    return figures;
  }

  private Figures newContactSends(
      Path profile, Path work, BenchServer server, CountingProxy proxy, Duration epoch)
      throws InterruptedException {
    List<String> handles = new ArrayList<>();
    for (int i = 0; i < newContacts; i++) {
      String handle = "carol" + i + "@" + BenchServer.DOMAIN;
      try (ParleyClient c = ParleyClient.open(work.resolve("carol" + i))) {
        c.register(server.base(), handle, "bench");
      }
      handles.add(handle);
    }
    // measured: the sender's work, not the log's publication of a handle registered just now
    Thread.sleep(Math.max(1_000, 3 * epoch.toMillis()));
    Figures figures = new Figures("first message to a new contact (in process)");
    try (ParleyClient client = ParleyClient.open(profile)) {
      Map<String, Long> before = proxy.byEndpoint();
      for (String handle : handles) {
        long start = System.nanoTime();
        requireSent(client.send(handle, "first"));
        figures.addNanos(System.nanoTime() - start);
      }
      note("requests per first message to a new contact", before, proxy.byEndpoint(), newContacts);
    }
    return figures;
  }

  /** {@code parley send} from the shell: wall time, and CPU time of the whole process. */
  private List<String> shellSends(Path profile, String bob, CountingProxy proxy, Path work)
      throws IOException, InterruptedException {
    Figures wall = new Figures("`parley send` from the shell, wall");
    Figures cpu = new Figures("`parley send` from the shell, CPU (user + system)");
    Path output = work.resolve("parley-send.out");
    Map<String, Long> before = Map.of();
    for (int i = 0; i <= rounds; i++) {
      if (i == 1) {
        before = proxy.byEndpoint();
      }
      long cpuBefore = ChildJvm.reapedChildrenCpuNanos().orElse(0);
      long start = System.nanoTime();
      Process p =
          new ProcessBuilder(
                  parley.toString(), "--profile", profile.toString(), "send", bob, "shell " + i)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      int code = p.waitFor();
      long elapsed = System.nanoTime() - start;
      if (code != 0) {
        throw new IllegalStateException(
            "parley send exited with " + code + ":\n" + Files.readString(output));
      }
      if (i == 0) {
        continue; // builds the CLI if needed, and writes its class-data archive
      }
      wall.addNanos(elapsed);
      ChildJvm.reapedChildrenCpuNanos().ifPresent(after -> cpu.addNanos(after - cpuBefore));
    }
    note("requests per `parley send`", before, proxy.byEndpoint(), rounds);
    return cpu.count() == 0 ? List.of(wall.row()) : List.of(wall.row(), cpu.row());
  }

  private void note(String what, Map<String, Long> before, Map<String, Long> after, int n) {
    StringBuilder line = new StringBuilder();
    long total = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (d > 0) {
        total += d;
        line.append(String.format(Locale.ROOT, "%n  %5.2f  %s", (double) d / n, e.getKey()));
      }
    }
    notes.add(String.format(Locale.ROOT, "%s: %.2f%s", what, (double) total / n, line));
  }

  private static void requireSent(SendResult result) {
    if (!result.sent() || result.recipientDevices() == 0) {
      throw new IllegalStateException("not sent: " + result);
    }
  }

  private void print(List<String> rows) {
    System.out.println();
    System.out.println(
        "Parley client bench, "
            + Instant.now()
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, load average "
            + loadAverage()
            + ", JDK "
            + Runtime.version()
            + ", key-transparency epoch "
            + ktEpochMillis
            + " ms");
    System.out.println();
    System.out.println(Figures.header());
    rows.forEach(System.out::println);
    System.out.println();
    notes.forEach(System.out::println);
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return String.format(
          Locale.ROOT,
          "%.2f",
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
  }
}
