package org.parley.bench.keytrans;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.parley.keytrans.audit.AuditedEntry;
import org.parley.keytrans.audit.Auditor;
import org.parley.keytrans.audit.AuditorUpdate;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;

/**
 * Auditor throughput. Parley's log is in contact-monitoring mode and anyone may audit it as an
 * independent auditor (docs/spec/keytrans.md, "Audit stream and independent auditors"), with the
 * draft's auditor steps. An operator model (the latest prefix tree only: all that building honest
 * {@link AuditorUpdate}s needs) feeds the auditor one encoded update per log entry, from the empty
 * log up to {@code labels} keys, then a few epochs of {@code epochUpdates} new keys, {@code
 * perEntry} per entry as Parley's publisher fills them (a {@code PrefixProof} answers at most 255
 * searches, so an update can add at most 255 keys). Keys are uniformly random, as VRF outputs are;
 * Parley never removes a key, so no update removes any.
 */
final class AuditFigures {
  private final Distribution updateBytes = new Distribution();
  private final Timing.Times process = new Timing.Times();
  private final Timing.Times build = new Timing.Times();
  private final Timing.Times epoch = new Timing.Times();
  private final Timing.Times sign = new Timing.Times();
  private final SplittableRandom random;
  private final Configuration config;
  private final SignatureSecretKey auditorKey;
  private final Auditor auditor;
  private final int perEntry;
  private final long interval;
  private PrefixTree prefix;
  private long clock = BenchLog.START;
  private long historyNanos;
  private long historyEntries;
  private long historyKeys;

  AuditFigures(int perEntry, long intervalMillis, long windowMillis, long seed) {
    CipherSuite suite = CipherSuite.KT_128_SHA256_Ed25519;
    SecureRandom secure = new SecureRandom();
    SignatureScheme scheme = suite.signatureScheme();
    auditorKey = scheme.generateSecretKey(secure);
    config =
        new Configuration(
            suite,
            scheme.publicKey(scheme.generateSecretKey(secure)),
            suite.vrf().publicKey(suite.vrf().generateSecretKey(secure)),
            new ModeParameters.ContactMonitoring(),
            BenchLog.MAX_AHEAD,
            BenchLog.MAX_BEHIND,
            windowMillis,
            OptionalLong.empty());
    auditor = new Auditor(config);
    prefix = PrefixTree.empty(suite);
    random = new SplittableRandom(seed);
    this.perEntry = perEntry;
    this.interval = intervalMillis;
  }

  /** Audits the history: {@code labels} keys in epochs of {@code epochUpdates}, unmeasured. */
  void history(long labels, int epochUpdates) throws Exception {
    long t0 = System.nanoTime();
    for (long done = 0; done < labels; done += epochUpdates) {
      historyEntries += epoch((int) Math.min(epochUpdates, labels - done), false);
    }
    historyNanos = System.nanoTime() - t0;
    historyKeys = prefix.size();
  }

  /** {@code epochs} measured epochs of {@code epochUpdates} new keys each. */
  void run(int epochs, int epochUpdates) throws Exception {
    for (int e = 0; e < epochs; e++) {
      epoch(epochUpdates, true);
    }
  }

  /** One epoch: its keys over as many entries as they need, all with the epoch's timestamp. */
  private int epoch(int updates, boolean measured) throws Exception {
    clock += interval;
    long auditing = 0;
    long auditingCpu = 0;
    int entries = 0;
    for (int done = 0; done < updates; done += perEntry) {
      List<PrefixLeaf> added = new ArrayList<>();
      for (int i = 0; i < Math.min(perEntry, updates - done); i++) {
        byte[] key = new byte[SearchKey.LENGTH];
        byte[] commitment = new byte[32];
        random.nextBytes(key);
        random.nextBytes(commitment);
        added.add(new PrefixLeaf(SearchKey.of(key), HashValue.of(commitment)));
      }
      long c0 = Timing.cpu();
      long t0 = System.nanoTime();
      AuditorUpdate update = AuditorUpdate.build(prefix, clock, added, List.of());
      byte[] bytes = update.encode();
      prefix = update.applyTo(prefix);
      long c1 = Timing.cpu();
      long t1 = System.nanoTime();
      AuditedEntry entry = auditor.process(AuditorUpdate.decode(bytes));
      long c2 = Timing.cpu();
      long t2 = System.nanoTime();
      if (!entry.prefixTree().equals(prefix.root())) {
        throw new IllegalStateException("the auditor's prefix root differs from the operator's");
      }
      auditing += t2 - t1;
      auditingCpu += c2 - c1;
      entries++;
      if (measured) {
        updateBytes.add(bytes.length);
        add(build, t1 - t0, c1 - c0);
        add(process, t2 - t1, c2 - c1);
      }
    }
    long c3 = Timing.cpu();
    long t3 = System.nanoTime();
    auditor.sign(auditorKey);
    long c4 = Timing.cpu();
    long t4 = System.nanoTime();
    if (measured) {
      add(sign, t4 - t3, c4 - c3);
      add(epoch, auditing + t4 - t3, auditingCpu + c4 - c3);
    }
    return entries;
  }

  private static void add(Timing.Times times, long elapsed, long cpu) {
    times.elapsed().add(elapsed);
    times.cpu().add(cpu);
  }

  void print(PrintStream out, int epochUpdates) {
    out.printf(
        Locale.ROOT,
        "# auditor: KT_128_SHA256_Ed25519, contact monitoring (independent"
            + " auditor), from the empty log; a history of %,d keys in %,d entries built and audited in %.1f s (%,.0f"
            + " entries/s, %,.0f keys/s, the operator's side included); then %d measured epochs%n",
        historyKeys,
        historyEntries,
        historyNanos / 1e9,
        historyEntries / (historyNanos / 1e9),
        historyKeys / (historyNanos / 1e9),
        epoch.elapsed().count());
    out.printf(
        Locale.ROOT,
        "%-52s %7s %-29s %-29s%n",
        "auditor, epochs of " + epochUpdates + " updates, " + perEntry + " per entry",
        "samples",
        "p50/p99/max",
        "cpu p50/p99/max");
    out.printf(
        Locale.ROOT,
        "%-52s %7d %-29s%n",
        "AuditorUpdate bytes",
        updateBytes.count(),
        updateBytes.bytes());
    row(out, "auditor: decode + process one AuditorUpdate, ms", process);
    row(out, "auditor: sign the auditor tree head, ms", sign);
    row(out, "auditor: a whole epoch (all its updates, one head), ms", epoch);
    row(out, "operator: build and apply one AuditorUpdate, ms", build);
    double wall = process.elapsed().percentile(50) / 1e9;
    double cpu = process.cpu().percentile(50) / 1e9;
    out.printf(
        Locale.ROOT,
        "# auditor throughput at the median, elapsed: %,.0f AuditorUpdates/s"
            + " (%,.0f label updates/s); CPU: %,.0f AuditorUpdates/s (%,.0f label updates/s) per"
            + " core%n",
        1 / wall,
        perEntry / wall,
        1 / cpu,
        perEntry / cpu);
  }

  private static void row(PrintStream out, String name, Timing.Times t) {
    out.printf(
        Locale.ROOT,
        "%-52s %7d %-29s %-29s%n",
        name,
        t.elapsed().count(),
        t.elapsed().millis(),
        t.cpu().millis());
  }
}
