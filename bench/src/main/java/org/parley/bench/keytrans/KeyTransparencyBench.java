package org.parley.bench.keytrans;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.VrfInput;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.vrf.VrfProof;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Key-transparency figures (docs/benchmarks.md, "Key transparency"): builds a log of {@code
 * --labels} labels over {@code --entries} entries, shaped and configured as Parley's server runs
 * its log, then measures greatest-version searches (proof bytes, client verification time),
 * publishing an epoch, owner monitoring and, separately, an independent auditor. Prints numbers;
 * asserts nothing, except that every honest response verifies.
 */
@Command(
    name = "parley-kt-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Builds a key-transparency log and prints search-proof sizes and verification"
            + " times, the time to publish an epoch, owner-monitoring costs and auditor throughput.")
public final class KeyTransparencyBench implements Callable<Integer> {
  @Option(
      names = "--labels",
      defaultValue = "1000000",
      description = "Labels in the first --entries entries (default: ${DEFAULT-VALUE}).")
  long labels;

  @Option(
      names = "--entries",
      defaultValue = "10080",
      description =
          "Log entries that hold --labels: Parley appends one at least every minute, so"
              + " a week-old log has 10,080 (default: ${DEFAULT-VALUE}).")
  int entries;

  @Option(
      names = "--entry-seconds",
      defaultValue = "60",
      description =
          "Time between entries; Parley appends one at least every minute"
              + " (default: ${DEFAULT-VALUE}).")
  int entrySeconds;

  @Option(
      names = "--window-minutes",
      defaultValue = "60",
      description =
          "The reasonable monitoring window; Parley's default is 60"
              + " (default: ${DEFAULT-VALUE}).")
  int windowMinutes;

  @Option(
      names = "--phases",
      split = ",",
      defaultValue = "search,publish,owner",
      description = "What to measure: search, publish, owner, audit (default: ${DEFAULT-VALUE}).")
  List<String> phases;

  @Option(
      names = "--sample-labels",
      defaultValue = "64",
      description =
          "Real labels (VRF-proved versions) that are searched" + " (default: ${DEFAULT-VALUE}).")
  int sampleLabels;

  @Option(
      names = "--checkpoints",
      defaultValue = "8",
      description =
          "Tree sizes, spread over the last window, at which every sample label is"
              + " searched (default: ${DEFAULT-VALUE}).")
  int checkpoints;

  @Option(
      names = "--returning-gap",
      defaultValue = "3",
      description =
          "Entries between a returning user's head and the search"
              + " (default: ${DEFAULT-VALUE}).")
  int returningGap;

  @Option(
      names = "--warmup-rounds",
      defaultValue = "3",
      description = "Unmeasured verification rounds over all samples (default: ${DEFAULT-VALUE}).")
  int warmupRounds;

  @Option(
      names = "--rounds",
      defaultValue = "5",
      description = "Measured verification rounds over all samples (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--publish-updates",
      defaultValue = "10000",
      description = "Updates in a published epoch (default: ${DEFAULT-VALUE}).")
  int publishUpdates;

  @Option(
      names = "--per-entry",
      defaultValue = "100",
      description =
          "Updates per log entry when publishing, and keys per AuditorUpdate; Parley's"
              + " publisher puts at most 100 accounts in an entry (default: ${DEFAULT-VALUE}).")
  int perEntry;

  @Option(
      names = "--publish-epochs",
      defaultValue = "5",
      description = "Measured published epochs, after one unmeasured (default: ${DEFAULT-VALUE}).")
  int publishEpochs;

  @Option(
      names = "--prepare-threads",
      defaultValue = "1",
      description = "Threads preparing an epoch's versions (default: ${DEFAULT-VALUE}).")
  int prepareThreads;

  @Option(
      names = "--owners",
      defaultValue = "16",
      description =
          "Owner devices of each kind, after every entry and once per window"
              + " (default: ${DEFAULT-VALUE}).")
  int owners;

  @Option(
      names = "--owner-entries",
      defaultValue = "48",
      description =
          "Entries after each of which the every-entry owners run their routine"
              + " (default: ${DEFAULT-VALUE}).")
  int ownerEntries;

  @Option(
      names = "--owner-windows",
      defaultValue = "2",
      description =
          "Windows the once-per-window owners run their routine" + " (default: ${DEFAULT-VALUE}).")
  int ownerWindows;

  @Option(
      names = "--audit-epochs",
      defaultValue = "5",
      description =
          "Measured auditor epochs of --publish-updates keys" + " (default: ${DEFAULT-VALUE}).")
  int auditEpochs;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "Seed of the log's shape and bulk keys (default: ${DEFAULT-VALUE}).")
  long seed;

  public static void main(String[] args) {
    System.exit(new CommandLine(new KeyTransparencyBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    PrintStream out = System.out;
    long window = windowMinutes * 60_000L;
    long interval = entrySeconds * 1_000L;
    int perWindow = (int) (window / interval);
    int spacing = Math.max(returningGap + 1, perWindow / checkpoints);
    boolean search = phases.contains("search");
    int history = entries - (search ? checkpoints * spacing : 0);
    boolean ownersFit = !phases.contains("owner") || sampleLabels >= 2 * owners;
    if (history < 2 || sampleLabels < 1 || !ownersFit) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          "need more --entries than the checkpoints take, and 2 x --owners sample labels");
    }
    long started = System.nanoTime();
    header(out, window, interval);
    if (phases.stream().anyMatch(p -> !p.equals("audit"))) {
      logFigures(out, window, interval, perWindow, spacing, history);
    }
    if (phases.contains("audit")) {
      AuditFigures figures = new AuditFigures(perEntry, interval, window, seed);
      figures.history(labels, publishUpdates);
      figures.run(auditEpochs, publishUpdates);
      figures.print(out, publishUpdates);
    }
    out.printf(
        Locale.ROOT,
        "# done in %.1f s; load average after: %s%n",
        (System.nanoTime() - started) / 1e9,
        loadAverage());
    return 0;
  }

  private void logFigures(
      PrintStream out, long window, long interval, int perWindow, int spacing, int history)
      throws Exception {
    boolean search = phases.contains("search");
    BenchLog world = new BenchLog(labels, entries, interval, window, seed);
    out.printf(
        Locale.ROOT,
        "# log: KT_128_SHA256_Ed25519, contact monitoring, %,d labels over"
            + " %,d entries, no maximum lifetime%n",
        labels,
        entries);
    List<Label> samples = new ArrayList<>();
    Map<Long, List<Label>> schedule = schedule(samples, history);
    long t0 = System.nanoTime();
    for (long position = 0; position < history; position++) {
      List<PreparedVersion> versions = new ArrayList<>();
      for (Label label : schedule.getOrDefault(position, List.of())) {
        versions.add(world.prepareNext(label));
      }
      world.append(versions);
    }
    out.printf(
        Locale.ROOT,
        "# built %,d entries (%,d bulk leaves, %d sample labels with %,d"
            + " versions) in %.1f s; heap in use after a full GC: %s%n",
        history,
        world.bulkLeaves(),
        samples.size(),
        schedule.values().stream().mapToInt(List::size).sum(),
        (System.nanoTime() - t0) / 1e9,
        heapAfterGc());
    vrfVerify(out, world, samples.getFirst());

    if (search) {
      SearchFigures figures = new SearchFigures(world, samples);
      figures.warmUp(warmupRounds);
      long sizeBefore = world.log.size();
      List<SearchFigures.Row> rows =
          figures.run(checkpoints, spacing, returningGap, warmupRounds, rounds);
      out.printf(
          Locale.ROOT,
          "# searches at %d tree sizes from %,d to %,d entries (every %d),"
              + " %,d to %,d labels; %d sample labels, each verification timed %d times after %d"
              + " warm-up rounds%n",
          checkpoints,
          sizeBefore + spacing,
          world.log.size(),
          spacing,
          (sizeBefore + spacing) * labels / entries,
          world.bulkLeaves(),
          samples.size(),
          rounds,
          warmupRounds);
      SearchFigures.print(out, rows);
    }
    if (phases.contains("publish")) {
      PublishFigures figures = new PublishFigures(world, publishUpdates, perEntry, prepareThreads);
      figures.run(publishEpochs);
      out.printf(
          Locale.ROOT,
          "# published %d epochs after one unmeasured; the log then held"
              + " %,d entries and %,d prefix-tree leaves%n",
          publishEpochs,
          world.log.size(),
          world.log.prefixTree(world.log.size() - 1).size());
      figures.print(out);
    }
    if (phases.contains("owner")) {
      OwnerFigures figures =
          new OwnerFigures(
              world, samples.subList(0, owners), samples.subList(owners, 2 * owners), perWindow);
      List<OwnerFigures.Row> rows =
          figures.run(ownerEntries, ownerWindows, warmupRounds, rounds, seed);
      out.printf(
          Locale.ROOT,
          "# owners: %d after every entry for %d entries, %d once per window"
              + " for %d windows; the log then held %,d entries and %,d prefix-tree leaves%n",
          owners,
          ownerEntries,
          owners,
          ownerWindows,
          world.log.size(),
          world.log.prefixTree(world.log.size() - 1).size());
      OwnerFigures.print(out, rows);
    }
  }

  /**
   * Each sample label gets 1 to 4 versions (greatest version 0 to 3, uniformly), each in its own
   * uniformly random entry of the history, so searches meet labels of every age.
   */
  private Map<Long, List<Label>> schedule(List<Label> samples, int history) {
    SplittableRandom random = new SplittableRandom(seed ^ 0x5eed);
    Map<Long, List<Label>> schedule = new HashMap<>();
    for (int i = 0; i < sampleLabels; i++) {
      Label label = BenchLog.label(String.format(Locale.ROOT, "sample-%05d", i));
      samples.add(label);
      TreeSet<Long> positions = new TreeSet<>();
      int versions = 1 + random.nextInt(4);
      while (positions.size() < Math.min(versions, history)) {
        positions.add((long) random.nextInt(history));
      }
      positions.forEach(p -> schedule.computeIfAbsent(p, k -> new ArrayList<>()).add(label));
    }
    return schedule;
  }

  /** The VRF verification alone, which dominates a search's verification. */
  private static void vrfVerify(PrintStream out, BenchLog world, Label label) throws Exception {
    VrfProof proof = world.log.version(label, 0).orElseThrow().vrfProof();
    byte[] input = VrfInput.of(label, 0).encode();
    Timing.Times times = new Timing.Times();
    for (int i = 0; i < 3_000; i++) {
      long c0 = Timing.cpu();
      long t0 = System.nanoTime();
      world.config.suite().verifyVrf(world.config.vrfPublicKey(), input, proof);
      if (i >= 1_000) {
        times.elapsed().add(System.nanoTime() - t0);
        times.cpu().add(Timing.cpu() - c0);
      }
    }
    out.printf(
        Locale.ROOT,
        "# one ECVRF-EDWARDS25519-SHA512-TAI verification: %s ms elapsed,"
            + " %s ms CPU (p50/p99/max of 2,000 after 1,000 warm-up)%n",
        times.elapsed().millis(),
        times.cpu().millis());
  }

  private void header(PrintStream out, long window, long interval) throws Exception {
    String version = Runtime.version().toString();
    out.printf(
        Locale.ROOT,
        "# %s on %d cores, %s %s; JVM %s %s; max heap %s%n",
        Instant.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("java.vm.name"),
        version,
        gib(Runtime.getRuntime().maxMemory()));
    out.printf(
        Locale.ROOT,
        "# JVM options: %s%n",
        String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    out.printf(Locale.ROOT, "# load average before: %s%n", loadAverage());
    out.printf(
        Locale.ROOT,
        "# %,d labels; an entry every %d s; reasonable monitoring window %d"
            + " min; phases %s; seed %d%n",
        labels,
        interval / 1_000,
        window / 60_000,
        String.join(",", phases),
        seed);
  }

  private static String heapAfterGc() {
    System.gc();
    return gib(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
  }

  private static String gib(long bytes) {
    return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
  }

  private static String loadAverage() throws Exception {
    String line = Files.readString(Path.of("/proc/loadavg")).trim();
    String[] parts = line.split(" ");
    return parts[0] + " " + parts[1] + " " + parts[2];
  }
}
