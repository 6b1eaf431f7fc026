package org.parley.bench.keytrans;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;

/**
 * Publishing an epoch of {@code updates} new versions: (a) preparing them (a VRF proof and a
 * commitment each; Parley's publisher does this when it publishes) and (b) staging and committing
 * the entries that hold them, {@code perEntry} versions each as Parley's publisher fills them
 * (prefix-tree update, log-tree root, head signature, append to the in-memory log). Each update is
 * version 0 of a fresh label; a new version of an existing label costs the prefix tree the same
 * (every version is its own leaf). The prefix-tree updates alone are also timed, on the same
 * leaves, after committing.
 */
final class PublishFigures {
  private final Timing.Times prepareBatch = new Timing.Times();
  private final Timing.Times preparePerUpdate = new Timing.Times();
  private final Timing.Times prefixTree = new Timing.Times();
  private final Timing.Times stage = new Timing.Times();
  private final Timing.Times commit = new Timing.Times();
  private final Timing.Times stageAndCommit = new Timing.Times();
  private final Timing.Times perEntryStageAndCommit = new Timing.Times();
  private final Timing.Times total = new Timing.Times();
  private final BenchLog world;
  private final int updates;
  private final int perEntry;
  private final int threads;

  PublishFigures(BenchLog world, int updates, int perEntry, int threads) {
    this.world = world;
    this.updates = updates;
    this.perEntry = perEntry;
    this.threads = threads;
  }

  private record Prepared(List<PreparedVersion> versions, long[] nanos, long[] cpuNanos) {}

  /** One epoch unmeasured (warm-up), then {@code batches} measured ones. */
  void run(int batches) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int b = -1; b < batches; b++) {
        epoch(pool, b, b >= 0);
      }
    }
  }

  private void epoch(ExecutorService pool, int batch, boolean measured) throws Exception {
    long t0 = System.nanoTime();
    List<Future<Prepared>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = updates * t / threads;
      int to = updates * (t + 1) / threads;
      parts.add(pool.submit(() -> prepare(batch, from, to)));
    }
    List<PreparedVersion> versions = new ArrayList<>(updates);
    List<Prepared> done = new ArrayList<>();
    for (Future<Prepared> part : parts) {
      done.add(part.get());
      versions.addAll(part.get().versions());
    }
    long t1 = System.nanoTime();
    long c1 = Timing.cpu();
    TransparencyLog log = world.log;
    long first = log.size();
    long stageNanos = 0;
    long stageCpu = 0;
    long commitNanos = 0;
    long commitCpu = 0;
    long timestamp = world.nextTimestamp(); // the epoch's entries share its time, as in Parley
    for (int from = 0; from < versions.size(); from += perEntry) {
      List<PreparedVersion> entry =
          versions.subList(from, Math.min(versions.size(), from + perEntry));
      long s0 = System.nanoTime();
      long sc0 = Timing.cpu();
      TransparencyLog.StagedEpoch staged = log.stage(timestamp, entry, true);
      long s1 = System.nanoTime();
      long sc1 = Timing.cpu();
      log.commit(staged);
      long s2 = System.nanoTime();
      long sc2 = Timing.cpu();
      stageNanos += s1 - s0;
      stageCpu += sc1 - sc0;
      commitNanos += s2 - s1;
      commitCpu += sc2 - sc1;
      if (measured) {
        add(perEntryStageAndCommit, s2 - s0, sc2 - sc0);
      }
    }
    long t3 = System.nanoTime();
    long c3 = Timing.cpu();
    // The entries' prefix-tree updates again, alone and afterwards (so that they, not the
    // figures above, get whatever the first run left in the CPU caches).
    long prefixNanos = 0;
    long prefixCpu = 0;
    for (int from = 0, e = 0; from < versions.size(); from += perEntry, e++) {
      Map<SearchKey, HashValue> leaves = new HashMap<>();
      versions
          .subList(from, Math.min(versions.size(), from + perEntry))
          .forEach(v -> leaves.put(v.searchKey(), HashValue.of(v.commitment().bytes())));
      PrefixTree previous = log.prefixTree(first + e - 1);
      long p0 = System.nanoTime();
      long pc0 = Timing.cpu();
      previous.putAll(leaves);
      prefixNanos += System.nanoTime() - p0;
      prefixCpu += Timing.cpu() - pc0;
    }
    if (measured) {
      long prepareCpu = 0;
      for (Prepared part : done) {
        for (int i = 0; i < part.nanos().length; i++) {
          preparePerUpdate.elapsed().add(part.nanos()[i]);
          preparePerUpdate.cpu().add(part.cpuNanos()[i]);
          prepareCpu += part.cpuNanos()[i];
        }
      }
      add(prepareBatch, t1 - t0, prepareCpu);
      add(stage, stageNanos, stageCpu);
      add(commit, commitNanos, commitCpu);
      add(stageAndCommit, t3 - t1, c3 - c1);
      add(total, t3 - t0, prepareCpu + c3 - c1);
      add(prefixTree, prefixNanos, prefixCpu);
    }
  }

  private static void add(Timing.Times times, long elapsed, long cpu) {
    times.elapsed().add(elapsed);
    times.cpu().add(cpu);
  }

  private Prepared prepare(int batch, int from, int to) {
    List<PreparedVersion> versions = new ArrayList<>(to - from);
    long[] nanos = new long[to - from];
    long[] cpuNanos = new long[to - from];
    for (int i = from; i < to; i++) {
      long c0 = Timing.cpu();
      long t0 = System.nanoTime();
      versions.add(world.prepare(BenchLog.label("publish-" + batch + "-" + i), 0));
      nanos[i - from] = System.nanoTime() - t0;
      cpuNanos[i - from] = Timing.cpu() - c0;
    }
    return new Prepared(versions, nanos, cpuNanos);
  }

  void print(PrintStream out) {
    int entries = (updates + perEntry - 1) / perEntry;
    out.printf(
        Locale.ROOT,
        "%-56s %7s %-29s %-29s%n",
        "publish an epoch of " + updates + " updates in " + entries + " entries",
        "samples",
        "ms p50/p99/max",
        "cpu ms p50/p99/max");
    row(out, "(a) prepare, " + threads + " thread(s), whole epoch", prepareBatch);
    row(out, "(a) prepare, one update", preparePerUpdate);
    row(out, "(b) stage, all entries (prefix tree, log root, signature)", stage);
    row(out, "(b) commit, all entries (append to the in-memory log)", commit);
    row(out, "(b) stage + commit, all entries", stageAndCommit);
    row(out, "(b) stage + commit, one entry of " + perEntry, perEntryStageAndCommit);
    row(out, "    the prefix-tree updates alone, again", prefixTree);
    row(out, "(a) + (b)", total);
  }

  private static void row(PrintStream out, String name, Timing.Times t) {
    out.printf(
        Locale.ROOT,
        "%-56s %7d %-29s %-29s%n",
        name,
        t.elapsed().count(),
        t.elapsed().millis(),
        t.cpu().millis());
  }
}
