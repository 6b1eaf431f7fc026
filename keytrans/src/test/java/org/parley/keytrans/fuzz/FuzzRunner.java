package org.parley.keytrans.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Runs targets one after the other on a worker thread, counts every outcome, keeps the first input
 * of each distinct failure (minimised) and watches for a case that never returns.
 *
 * <p>A failure is anything but a result or a declared refusal: any other exception or error
 * (OutOfMemoryError and StackOverflowError included), an acceptance the target's judge refuses, a
 * refused honest input (the control), or a case still running after {@link #HANG_MILLIS}.
 */
final class FuzzRunner {
  static final long HANG_MILLIS = 60_000;
  private static final String REFUSED = "refused: ";
  private static final int MINIMISE_RUNS = 4_000;

  /** What one target did. */
  static final class Stats {
    final String target;
    long cases;
    long accepted;
    long deferred;
    long refused;
    long failed;
    long nanos;
    long slowestNanos;
    String note = "";

    /** Refusals by exception (and cause): how far into a verification the mutants got. */
    final Map<String, Long> refusals = new java.util.TreeMap<>();

    final Map<Mutator.Kind, Long> kinds = new EnumMap<>(Mutator.Kind.class);

    Stats(String target) {
      this.target = target;
    }
  }

  /** The first input of one distinct failure, and how often the failure came back. */
  static final class Failure {
    final String target;
    final String signature;
    String detail;
    byte[] input;
    int count = 1;

    Failure(String target, String signature, String detail, byte[] input) {
      this.target = target;
      this.signature = signature;
      this.detail = detail;
      this.input = input;
    }
  }

  final List<Stats> stats = new ArrayList<>();
  final Map<String, Failure> failures = new LinkedHashMap<>();
  final Map<String, String> deferredExamples = new LinkedHashMap<>();
  private volatile long completed;
  private volatile Target currentTarget;
  private volatile Target.Case currentCase;
  private volatile boolean finished;
  private volatile Throwable crashed;

  /** Runs every target; returns false if a case hung (the worker is then abandoned). */
  boolean run(List<Target> targets, long seed, PrintWriter progress) throws InterruptedException {
    Thread worker =
        new Thread(
            () -> {
              try {
                for (Target target : targets) {
                  runTarget(target, seed, progress);
                }
              } catch (Throwable t) {
                crashed = t;
              } finally {
                finished = true;
              }
            },
            "fuzz-worker");
    worker.setDaemon(true);
    worker.start();
    long seen = -1;
    long since = System.nanoTime();
    while (!finished) {
      Thread.sleep(500);
      if (completed != seen) {
        seen = completed;
        since = System.nanoTime();
      } else if ((System.nanoTime() - since) / 1_000_000 > HANG_MILLIS && !finished) {
        Target.Case hung = currentCase;
        StringBuilder trace = new StringBuilder();
        for (StackTraceElement e : worker.getStackTrace()) {
          trace.append("\n    at ").append(e);
        }
        failures.put(
            "hang",
            new Failure(
                currentTarget.name,
                "hang (no result in " + HANG_MILLIS / 1000 + " s)",
                trace.toString(),
                hung == null ? new byte[0] : hung.bytes()));
        return false;
      }
    }
    if (crashed != null) {
      throw new IllegalStateException("the fuzz harness itself failed", crashed);
    }
    return true;
  }

  private void runTarget(Target target, long seed, PrintWriter progress) {
    // String.hashCode is specified, so each target's stream is the same on every JVM.
    Random random = new Random(seed * 1_000_003L + target.name.hashCode());
    Mutator mutator = new Mutator(random);
    Stats s = new Stats(target.name);
    stats.add(s);
    currentTarget = target;
    long start = System.nanoTime();
    for (int i = 0; i < target.budget; i++) {
      Target.Case c = target.next(random, mutator);
      currentCase = c;
      long t0 = System.nanoTime();
      String failure = attempt(target, c.context(), c.bytes());
      long took = System.nanoTime() - t0;
      s.slowestNanos = Math.max(s.slowestNanos, took);
      s.cases++;
      if (c.kind() != null) {
        s.kinds.merge(c.kind(), 1L, Long::sum);
      }
      if (failure == null) {
        s.accepted++;
      } else if (failure.startsWith(REFUSED) && c.kind() == Mutator.Kind.HONEST) {
        s.failed++; // the control: an honest input must pass, or the harness itself is wrong
        record(target, c, "honest input refused: " + failure.substring(REFUSED.length()));
      } else if (failure.startsWith(REFUSED)) {
        s.refused++;
        s.refusals.merge(failure.substring(REFUSED.length()), 1L, Long::sum);
      } else if (failure.startsWith(Target.DEFERRED)) {
        s.deferred++;
        deferredExamples.putIfAbsent(target.name, failure);
      } else {
        s.failed++;
        record(target, c, failure);
      }
      completed++;
    }
    s.nanos = System.nanoTime() - start;
    if (target instanceof CorpusTarget corpus && corpus.systematic()) {
      s.note = corpus.seedCount() + " seeds";
    }
    progress.printf(
        "%-44s %,10d cases %,9d accepted %,7d deferred %,10d refused %,5d failed" + " %7.1f s%n",
        target.name, s.cases, s.accepted, s.deferred, s.refused, s.failed, s.nanos / 1e9);
    progress.flush();
  }

  /**
   * Runs one case: null when accepted soundly, {@link #REFUSED} and the exception's kind when
   * refused with a declared exception, the judge's words when it accepted a change whose check the
   * draft defers, otherwise the failure's signature followed by a newline and its details.
   */
  private static String attempt(Target target, Object context, byte[] bytes) {
    Object result;
    try {
      result = target.run(context, bytes);
    } catch (Throwable t) {
      if (target.refusal(t)) {
        String kind = t.getClass().getSimpleName();
        return REFUSED
            + (t.getCause() == null
                ? kind
                : kind + "(" + t.getCause().getClass().getSimpleName() + ")");
      }
      return signature(t) + "\n" + trace(t);
    }
    String wrong = target.judge(context, bytes, result);
    if (wrong == null || wrong.startsWith(Target.DEFERRED)) {
      return wrong;
    }
    return "accepted with another meaning: " + firstLine(wrong) + "\n" + wrong;
  }

  private void record(Target target, Target.Case c, String failure) {
    String signature = target.name + ": " + firstLine(failure);
    Failure known = failures.get(signature);
    if (known != null) {
      known.count++;
      return;
    }
    Failure f = new Failure(target.name, firstLine(failure), failure, c.bytes());
    failures.put(signature, f);
    minimise(target, c.context(), f, failure);
  }

  /** Greedy: drop ever smaller chunks, then lower bytes to zero, while the failure stays. */
  private void minimise(Target target, Object context, Failure f, String failure) {
    String sig = firstLine(failure);
    byte[] best = f.input;
    int runs = 0;
    for (int chunk = Math.max(1, best.length / 2); chunk >= 1 && runs < MINIMISE_RUNS; chunk /= 2) {
      for (int at = 0; at + chunk <= best.length && runs < MINIMISE_RUNS; ) {
        byte[] candidate = Mutator.splice(best, at, at + chunk, new byte[0]);
        runs++;
        completed++; // minimising is progress too, for the hang watch
        String got = attempt(target, context, candidate);
        if (got != null && !got.startsWith(REFUSED) && firstLine(got).equals(sig)) {
          best = candidate;
          f.detail = got;
        } else {
          at += chunk;
        }
      }
    }
    for (int at = 0; at < best.length && runs < MINIMISE_RUNS; at++) {
      if (best[at] == 0) {
        continue;
      }
      byte[] candidate = best.clone();
      candidate[at] = 0;
      runs++;
      completed++;
      String got = attempt(target, context, candidate);
      if (got != null && !got.startsWith(REFUSED) && firstLine(got).equals(sig)) {
        best = candidate;
        f.detail = got;
      }
    }
    f.input = best;
  }

  /** The exception's class and the first frame in the module's own code. */
  private static String signature(Throwable t) {
    for (StackTraceElement e : t.getStackTrace()) {
      if (e.getClassName().startsWith("org.parley.keytrans.")
          && !e.getClassName().startsWith("org.parley.keytrans.fuzz.")) {
        return t.getClass().getName()
            + " at "
            + e.getClassName()
            + "."
            + e.getMethodName()
            + ":"
            + e.getLineNumber();
      }
    }
    return t.getClass().getName();
  }

  private static String trace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    String[] lines = out.toString().split("\n");
    return String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 25)));
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** The report: totals per target, then each failure with its minimised input. */
  String report(long seed, double seconds) {
    StringBuilder out = new StringBuilder();
    long total = 0;
    out.append(
        String.format(
            "%-44s %10s %9s %8s %10s %6s %8s %10s%n",
            "target",
            "cases",
            "accepted",
            "deferred",
            "refused",
            "failed",
            "seconds",
            "slowest ms"));
    for (Stats s : stats) {
      total += s.cases;
      out.append(
          String.format(
              "%-44s %,10d %,9d %,8d %,10d %,6d %8.1f %10.1f  %s%n",
              s.target,
              s.cases,
              s.accepted,
              s.deferred,
              s.refused,
              s.failed,
              s.nanos / 1e9,
              s.slowestNanos / 1e6,
              s.note));
    }
    Map<Mutator.Kind, Long> kinds = new EnumMap<>(Mutator.Kind.class);
    stats.forEach(s -> s.kinds.forEach((k, v) -> kinds.merge(k, v, Long::sum)));
    out.append(
        String.format(
            "total %,d cases in %.1f s, seed %d%nby mutation: %s%n", total, seconds, seed, kinds));
    out.append("refusals by exception (cause):\n");
    for (Stats s : stats) {
      if (s.refusals.size() > 1) {
        out.append("  ").append(s.target).append(": ").append(s.refusals).append("\n");
      }
    }
    deferredExamples.forEach(
        (target, example) ->
            out.append("deferred [")
                .append(target)
                .append("]: ")
                .append(firstLine(example))
                .append("\n"));
    out.append(failures.isEmpty() ? "no failures\n" : failures.size() + " distinct failures\n");
    for (Failure f : failures.values()) {
      String hex = HexFormat.of().formatHex(f.input);
      out.append("\n[")
          .append(f.target)
          .append("] x")
          .append(f.count)
          .append(": ")
          .append(f.signature)
          .append("\n  minimised input (")
          .append(f.input.length)
          .append(" bytes): ")
          .append(hex.length() > 4000 ? hex.substring(0, 4000) + "..." : hex)
          .append("\n")
          .append(f.detail)
          .append("\n");
    }
    return out.toString();
  }
}
