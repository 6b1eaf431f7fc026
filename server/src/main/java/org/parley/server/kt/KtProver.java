package org.parley.server.kt;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.operator.ProvenLabelVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.protocol.AccountId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves label versions (their ECVRF proofs, 0.3 ms each) on a pool of one thread per core, never
 * on a request's or the publisher's thread: early, when a change is recorded ({@link #early}), the
 * sealed proofs then kept in the store in batches; and at publish time only what no early proof
 * covered ({@link #prove}).
 *
 * <p>A proof depends on the label, the version and the log's VRF key only ({@link
 * TransparencyLog#proveVersion}), so it is the same whichever thread makes it and whenever. The
 * pool is shared by every log in the process (tests run many servers in one JVM) and its threads
 * end when idle, so a server needs no close for it.
 */
final class KtProver {
  private static final Logger LOG = LoggerFactory.getLogger(KtProver.class);
  private static final ExecutorService POOL = pool();

  private final TransparencyLog log;
  private final KtStore store;
  private final Queue<KtEarlyProof> made = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushing = new AtomicBoolean();

  KtProver(TransparencyLog log, KtStore store) {
    this.log = log;
    this.store = store;
  }

  /** A label version the next epoch is expected to add for an account. */
  record Wanted(AccountId account, Label label, long version) {}

  /**
   * Proves, in the background, the versions {@code wanted} names when it runs there, and keeps them
   * sealed in the store: all proofs made while a batch is being written go in the next, so a burst
   * of changes costs a few transactions, not one each. A failure loses only hints.
   */
  void early(Supplier<List<Wanted>> wanted) {
    POOL.execute(
        () -> {
          try {
            for (Wanted w : wanted.get()) {
              byte[] sealed = log.seal(log.proveVersion(w.label(), w.version()));
              made.add(new KtEarlyProof(w.account(), w.label().bytes(), w.version(), sealed));
            }
          } catch (RuntimeException e) {
            LOG.info("no early key-transparency proof ({}); the publisher makes it", e.toString());
          }
          if (flushing.compareAndSet(false, true)) {
            POOL.execute(this::flush);
          }
        });
  }

  private void flush() {
    while (true) {
      List<KtEarlyProof> batch = new ArrayList<>();
      for (KtEarlyProof p; (p = made.poll()) != null; ) {
        batch.add(p);
      }
      if (!batch.isEmpty()) {
        try {
          store.saveEarlyProofs(batch);
        } catch (RuntimeException e) {
          LOG.info(
              "{} early key-transparency proofs not kept ({}); the publisher makes them",
              batch.size(),
              e.toString());
        }
      }
      flushing.set(false);
      // a proof added after the poll above and before the set saw flushing still true
      if (made.isEmpty() || !flushing.compareAndSet(false, true)) {
        return;
      }
    }
  }

  /** A version the publisher needs and no early proof covered, proven from now on. */
  Pending prove(Label label, long version) {
    return new Pending(
        CompletableFuture.supplyAsync(() -> log.proveVersion(label, version), POOL),
        () -> log.proveVersion(label, version));
  }

  /** A version whose early proof the publisher took back. */
  static Pending ready(ProvenLabelVersion proven) {
    return new Pending(CompletableFuture.completedFuture(proven), () -> proven);
  }

  /** How long the publisher waits for the pool before it makes a proof on its own thread. */
  static final long PATIENCE_SECONDS = 5;

  /** One proof being made. */
  static final class Pending {
    private final CompletableFuture<ProvenLabelVersion> future;
    private final Supplier<ProvenLabelVersion> inline;

    Pending(CompletableFuture<ProvenLabelVersion> future, Supplier<ProvenLabelVersion> inline) {
      this.future = future;
      this.inline = inline;
    }

    /**
     * The proof, waiting for the pool at most {@link #PATIENCE_SECONDS}: a pool that does not get
     * to it (its threads taken by other work, or stuck) delays an epoch, never stops the log. The
     * proof is the same whichever thread makes it.
     */
    ProvenLabelVersion join() {
      try {
        return future.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        LOG.warn(
            "a key-transparency proof waited {} s on the prover pool ({}); the publisher makes it",
            PATIENCE_SECONDS,
            POOL);
        return inline.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for a key-transparency proof", e);
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw new CompletionException(e.getCause());
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
