package org.parley.server.kt;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.operator.ProvenLabelVersion;
import org.parley.keytrans.operator.TransparencyLog;

/**
 * Proves label versions (their ECVRF proofs, 0.3 ms each) on a pool of one thread per core instead
 * of on the publisher's thread, which only plans an epoch, makes the commitments and stages it.
 *
 * <p>A proof depends on the label, the version and the log's VRF key only ({@link
 * TransparencyLog#proveVersion}), so it is the same whichever thread makes it and whenever: the
 * publisher asks for every version an epoch needs, then takes the results in its own order, and
 * nothing that was not proven is staged. The pool is shared by every log in the process (tests run
 * many servers in one JVM) and its threads end when idle, so a server needs no close for it.
 */
final class KtProver {

  private static final ExecutorService POOL = pool();

  private final TransparencyLog log;

  KtProver(TransparencyLog log) {
    this.log = log;
  }

  /** A version the publisher needs, proven in the background from now on. */
  Pending prove(Label label, long version) {
    return new Pending(CompletableFuture.supplyAsync(() -> log.proveVersion(label, version), POOL));
  }

  /** One proof being made. */
  static final class Pending {
    private final CompletableFuture<ProvenLabelVersion> future;

    private Pending(CompletableFuture<ProvenLabelVersion> future) {
      this.future = future;
    }

    ProvenLabelVersion join() {
      try {
        return future.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
  }

  private static ExecutorService pool() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "kt-prover-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
