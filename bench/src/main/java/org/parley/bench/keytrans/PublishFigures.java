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
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.ProvenLabelVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;

/**
 * Publishing an epoch of {@code updates} new versions as Parley's server does it: (a) at change
 * time, off the publisher, each version's VRF proof made and sealed ({@code proveVersion}, {@code
 * seal}; the server does this in the background when the change is recorded, on {@code threads}
 * threads here), then the publisher's own work: (b) taking each sealed proof back and making the
 * commitment ({@code unseal}, {@code prepare}) and (c) staging and committing the entries that hold
 * them, {@code perEntry} versions each as Parley's publisher fills them (prefix-tree update,
 * log-tree root, head signature, append to the in-memory log). Each update is version 0 of a fresh
 * label; a new version of an existing label costs the prefix tree the same (every version is its
 * own leaf). The prefix-tree updates alone are also timed, on the same leaves, after committing.
 */
final class PublishFigures {
  private final Timing.Times proveBatch = new Timing.Times();
  private final Timing.Times provePerUpdate = new Timing.Times();
  private final Timing.Times takeBack = new Timing.Times();
  private final Timing.Times publisher = new Timing.Times();
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

  /** One update's label and sealed early proof, as the store hands them to the publisher. */
  private record Early(Label label, byte[] sealed) {}

  private record Proven(List<Early> proofs, long[] nanos, long[] cpuNanos) {}

  /** One epoch unmeasured (warm-up), then {@code batches} measured ones. */
  void run(int batches) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int b = -1; b < batches; b++) {
        epoch(pool, b, b >= 0);
      }
    }
  }

  private void epoch(ExecutorService pool, int batch, boolean measured) throws Exception {
    List<UpdateValue> values = new ArrayList<>(updates);
    for (int i = 0; i < updates; i++) {
      values.add(world.value()); // read from the store by the server: not timed here
    }
    long t0 = System.nanoTime();
    List<Future<Proven>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int from = updates * t / threads;
      int to = updates * (t + 1) / threads;
      parts.add(pool.submit(() -> prove(batch, from, to)));
    }
    List<Early> early = new ArrayList<>(updates);
    List<Proven> done = new ArrayList<>();
    for (Future<Proven> part : parts) {
      done.add(part.get());
      early.addAll(part.get().proofs());
    }
    TransparencyLog log = world.log;
    long t1 = System.nanoTime();
    long c1 = Timing.cpu();
    List<PreparedVersion> versions = new ArrayList<>(updates);
    for (int i = 0; i < updates; i++) {
      Early e = early.get(i);
      ProvenLabelVersion proven =
          log.unseal(e.label(), 0, e.sealed())
              .orElseThrow(() -> new IllegalStateException("an early proof does not open"));
      versions.add(log.prepare(proven, values.get(i), world.secure));
    }
    long t2 = System.nanoTime();
    long c2 = Timing.cpu();
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
      long proveCpu = 0;
      for (Proven part : done) {
        for (int i = 0; i < part.nanos().length; i++) {
          provePerUpdate.elapsed().add(part.nanos()[i]);
          provePerUpdate.cpu().add(part.cpuNanos()[i]);
          proveCpu += part.cpuNanos()[i];
        }
      }
      add(proveBatch, t1 - t0, proveCpu);
      add(takeBack, t2 - t1, c2 - c1);
      add(stage, stageNanos, stageCpu);
      add(commit, commitNanos, commitCpu);
      add(stageAndCommit, t3 - t2, c3 - c2);
      add(publisher, t3 - t1, c3 - c1);
      add(total, t3 - t0, proveCpu + c3 - c1);
      add(prefixTree, prefixNanos, prefixCpu);
    }
  }

  private static void add(Timing.Times times, long elapsed, long cpu) {
    times.elapsed().add(elapsed);
    times.cpu().add(cpu);
  }

  private Proven prove(int batch, int from, int to) {
    TransparencyLog log = world.log;
    List<Early> proofs = new ArrayList<>(to - from);
    long[] nanos = new long[to - from];
    long[] cpuNanos = new long[to - from];
    for (int i = from; i < to; i++) {
      Label label = BenchLog.label("publish-" + batch + "-" + i);
      long c0 = Timing.cpu();
      long t0 = System.nanoTime();
      proofs.add(new Early(label, log.seal(log.proveVersion(label, 0))));
      nanos[i - from] = System.nanoTime() - t0;
      cpuNanos[i - from] = Timing.cpu() - c0;
    }
    return new Proven(proofs, nanos, cpuNanos);
  }

  void print(PrintStream out) {
    int entries = (updates + perEntry - 1) / perEntry;
    out.printf(
        Locale.ROOT,
        "%-60s %7s %-29s %-29s%n",
        "publish an epoch of " + updates + " updates in " + entries + " entries",
        "samples",
        "ms p50/p99/max",
        "cpu ms p50/p99/max");
    row(out, "(a) change time: prove + seal, " + threads + " thread(s), all", proveBatch);
    row(out, "(a) change time: prove + seal, one update", provePerUpdate);
    row(out, "(b) publisher: unseal + commitment, all updates", takeBack);
    row(out, "(c) publisher: stage, all entries (prefix tree, root, sig.)", stage);
    row(out, "(c) publisher: commit, all entries (in-memory log)", commit);
    row(out, "(c) publisher: stage + commit, all entries", stageAndCommit);
    row(out, "(c) publisher: stage + commit, one entry of " + perEntry, perEntryStageAndCommit);
    row(out, "    the prefix-tree updates alone, again", prefixTree);
    row(out, "(b) + (c) the publisher's epoch", publisher);
    row(out, "(a) + (b) + (c)", total);
  }

  private static void row(PrintStream out, String name, Timing.Times t) {
    out.printf(
        Locale.ROOT,
        "%-60s %7d %-29s %-29s%n",
        name,
        t.elapsed().count(),
        t.elapsed().millis(),
        t.cpu().millis());
  }
}
