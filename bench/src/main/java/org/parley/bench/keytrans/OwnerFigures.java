package org.parley.bench.keytrans;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.operator.PreparedVersion;

/**
 * What owner monitoring costs one device: owners that run their routine (learn new versions, then
 * owner monitoring) after every log entry, and owners that run it once per monitoring window (as
 * the draft expects owners to). Each every-entry owner gets one new version during the run, each
 * once-per-window owner one per window, so both the quiet routine and the one with an update are
 * measured.
 */
final class OwnerFigures {
  /** One kind of routine: bytes per run and the verifications to time. */
  static final class Row {
    final String name;
    final Distribution responseBytes = new Distribution();
    final Distribution requestBytes = new Distribution();
    final List<List<Timing.Check>> checks = new ArrayList<>();
    Timing.Times verify;

    Row(String name) {
      this.name = name;
    }

    void add(OwnerDevice.Cost cost) {
      responseBytes.add(cost.responseBytes());
      requestBytes.add(cost.requestBytes());
      checks.add(cost.checks());
    }
  }

  private final BenchLog world;
  private final List<OwnerDevice> everyEntry = new ArrayList<>();
  private final List<OwnerDevice> perWindow = new ArrayList<>();
  private final int entriesPerWindow;

  OwnerFigures(
      BenchLog world,
      List<Label> everyEntryLabels,
      List<Label> perWindowLabels,
      int entriesPerWindow) {
    this.world = world;
    everyEntryLabels.forEach(l -> everyEntry.add(new OwnerDevice(world, l)));
    perWindowLabels.forEach(l -> perWindow.add(new OwnerDevice(world, l)));
    this.entriesPerWindow = entriesPerWindow;
  }

  List<Row> run(int entries, int windows, int warmup, int rounds, long seed) throws Exception {
    Row init = new Row("initialisation (ownerInit)");
    Row quiet = new Row("after every entry, nothing new");
    Row updated = new Row("after every entry, a new version");
    Row window = new Row("once per window (" + entriesPerWindow + " entries)");
    List<OwnerDevice> all = new ArrayList<>(everyEntry);
    all.addAll(perWindow);
    for (OwnerDevice owner : all) {
      init.add(owner.init());
    }
    world.appendBulk(1);
    for (OwnerDevice owner : all) {
      owner.routine(); // settles the state that initialisation leaves
    }
    Map<Integer, List<Label>> schedule = schedule(entries, windows, seed);
    int total = Math.max(entries, windows * entriesPerWindow);
    for (int e = 1; e <= total; e++) {
      List<PreparedVersion> versions = new ArrayList<>();
      for (Label label : schedule.getOrDefault(e, List.of())) {
        versions.add(world.prepareNext(label));
      }
      world.append(versions);
      if (e <= entries) {
        for (OwnerDevice owner : everyEntry) {
          long before = owner.greatest();
          OwnerDevice.Cost cost = owner.routine();
          (owner.greatest() > before ? updated : quiet).add(cost);
        }
      }
      if (e % entriesPerWindow == 0) {
        for (OwnerDevice owner : perWindow) {
          window.add(owner.routine());
        }
      }
    }
    List<Row> rows = List.of(init, quiet, updated, window);
    Timing.settleHeap();
    for (Row row : rows) {
      row.verify = Timing.time(row.checks, warmup, rounds);
    }
    return rows;
  }

  /** Entry (counted from 1) -> labels that get a new version in it. */
  private Map<Integer, List<Label>> schedule(int entries, int windows, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<Integer, List<Label>> schedule = new HashMap<>();
    for (int i = 0; i < everyEntry.size(); i++) {
      int entry = 1 + (int) ((long) i * entries / everyEntry.size());
      schedule.computeIfAbsent(entry, k -> new ArrayList<>()).add(everyEntry.get(i).label);
    }
    for (int w = 0; w < windows; w++) {
      for (OwnerDevice owner : perWindow) {
        int entry = w * entriesPerWindow + 1 + random.nextInt(entriesPerWindow);
        schedule.computeIfAbsent(entry, k -> new ArrayList<>()).add(owner.label);
      }
    }
    return schedule;
  }

  static void print(PrintStream out, List<Row> rows) {
    out.printf(
        Locale.ROOT,
        "%-34s %7s %-24s %-18s %-23s %-23s%n",
        "owner routine, per device",
        "samples",
        "response B p50/p99/max",
        "request B p50/p99",
        "verify ms p50/p99/max",
        "verify cpu ms");
    for (Row r : rows) {
      out.printf(
          Locale.ROOT,
          "%-34s %7d %-24s %-18s %-23s %-23s%n",
          r.name,
          r.verify.elapsed().count(),
          r.responseBytes.bytes(),
          r.requestBytes.percentile(50) + " / " + r.requestBytes.percentile(99),
          r.verify.elapsed().millis(),
          r.verify.cpu().millis());
    }
  }
}
