package org.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs phases against a target: one virtual thread per sender keeps at most {@code window} sends in
 * flight (optionally paced to a fixed offered rate), the receivers stamp arrivals, and the phase
 * ends when every accepted message has arrived, or when arrivals stall.
 */
final class Driver {
  private static final AtomicInteger PHASES = new AtomicInteger(1);

  private final Target target;
  private final int window;
  private final double ratePerSecond;
  private final Duration idleTimeout;
  private final Duration phaseTimeout;
  private volatile ReceiptSink current = (buf, offset, length, at) -> {};

  /**
   * @param ratePerSecond offered rate over all pairs, or 0 to send as fast as the window allows
   */
  Driver(
      Target target,
      int window,
      double ratePerSecond,
      Duration idleTimeout,
      Duration phaseTimeout) {
    this.target = target;
    this.window = window;
    this.ratePerSecond = ratePerSecond;
    this.idleTimeout = idleTimeout;
    this.phaseTimeout = phaseTimeout;
  }

  /** Where the target's receivers deliver; it forwards to the phase under way. */
  ReceiptSink sink() {
    return (buf, offset, length, at) -> current.received(buf, offset, length, at);
  }

  /** Outcome of one phase. */
  record PhaseResult(
      int pairs,
      long sent,
      long sendErrors,
      String firstError,
      PhaseReceipts.Totals totals,
      OptionalLong serverCpuNanos,
      OptionalLong harnessCpuNanos,
      boolean timedOut) {}

  /**
   * Runs one phase: each of the pairs sends perPair messages, or as many as it can start within
   * {@code sendFor} (zero: no limit), then the phase waits for the arrivals and the acks.
   */
  PhaseResult run(int pairs, int perPair, Duration sendFor) throws Exception {
    PhaseReceipts receipts = new PhaseReceipts(PHASES.getAndIncrement(), pairs);
    current = receipts;
    LongAdder attempted = new LongAdder();
    LongAdder errors = new LongAdder();
    AtomicReference<String> firstError = new AtomicReference<>();
    OptionalLong cpuBefore = target.serverCpuNanos();
    OptionalLong harnessBefore = ProcessCpu.nanos(ProcessHandle.current().pid());
    long deadline = System.nanoTime() + phaseTimeout.toNanos();
    // in rate mode each pair sends every `interval`, pairs staggered so the sum is even
    long interval = ratePerSecond > 0 ? (long) (pairs * 1e9 / ratePerSecond) : 0;
    long start = System.nanoTime();
    long stopSending = sendFor.isZero() ? deadline : Math.min(deadline, start + sendFor.toNanos());
    List<Thread> senders = new ArrayList<>(pairs);
    for (int p = 0; p < pairs; p++) {
      int pair = p;
      long first = start + (interval == 0 ? 0 : interval * pair / pairs);
      senders.add(
          Thread.ofVirtual()
              .name("sender-" + pair)
              .start(
                  () ->
                      sendAll(
                          receipts,
                          pair,
                          perPair,
                          first,
                          interval,
                          stopSending,
                          attempted,
                          errors,
                          firstError)));
    }
    for (Thread sender : senders) {
      sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    boolean timedOut = senders.stream().anyMatch(Thread::isAlive);
    senders.forEach(Thread::interrupt);
    long expected = attempted.sum() - errors.sum();
    timedOut |= !awaitArrivals(receipts, expected, deadline);
    target.drain(Duration.ofSeconds(30));
    OptionalLong cpu = difference(cpuBefore, target.serverCpuNanos());
    OptionalLong harnessCpu =
        difference(harnessBefore, ProcessCpu.nanos(ProcessHandle.current().pid()));
    current = (buf, offset, length, at) -> {};
    return new PhaseResult(
        pairs,
        attempted.sum(),
        errors.sum(),
        firstError.get(),
        receipts.totals(start),
        cpu,
        harnessCpu,
        timedOut);
  }

  private static OptionalLong difference(OptionalLong before, OptionalLong after) {
    return before.isPresent() && after.isPresent()
        ? OptionalLong.of(after.getAsLong() - before.getAsLong())
        : OptionalLong.empty();
  }

  private void sendAll(
      PhaseReceipts receipts,
      int pair,
      int count,
      long first,
      long interval,
      long stopSending,
      LongAdder attempted,
      LongAdder errors,
      AtomicReference<String> firstError) {
    Semaphore inFlight = new Semaphore(window);
    try {
      for (int seq = 0; seq < count && System.nanoTime() < stopSending; seq++) {
        long due = first + seq * interval;
        if (interval > 0 && due >= stopSending) {
          break;
        }
        if (interval > 0) {
          for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
            LockSupport.parkNanos(wait);
          }
        }
        if (!inFlight.tryAcquire(
            Math.max(0, stopSending - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          break;
        }
        // at a fixed rate the latency runs from when the message was due, so that time spent
        // waiting for a window slot counts (no coordinated omission)
        long stamp = interval > 0 ? due : System.nanoTime();
        int s = seq;
        attempted.increment();
        CompletableFuture<?> sent;
        try {
          sent = target.send(pair, new Payload(stamp, receipts.phase(), pair, seq));
        } catch (RuntimeException e) {
          sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete(
            (ok, failure) -> {
              if (failure == null) {
                receipts.accepted(pair, s);
              } else {
                errors.increment();
                firstError.compareAndSet(null, String.valueOf(failure));
              }
              inFlight.release();
            });
      }
      inFlight.acquire(window); // every send answered (the HTTP and NATS clients time out)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until the expected arrivals are in; false if arrivals stalled or time ran out. */
  private boolean awaitArrivals(PhaseReceipts receipts, long expected, long deadline)
      throws InterruptedException {
    long seen = receipts.uniqueTotal();
    long lastProgress = System.nanoTime();
    while (seen < expected) {
      long now = System.nanoTime();
      if (now > deadline || now - lastProgress > idleTimeout.toNanos()) {
        return false;
      }
      Thread.sleep(2);
      long next = receipts.uniqueTotal();
      if (next != seen) {
        seen = next;
        lastProgress = System.nanoTime();
      }
    }
    return true;
  }
}
