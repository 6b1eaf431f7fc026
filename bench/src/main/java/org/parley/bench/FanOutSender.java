package org.parley.bench;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One sender's WebSocket (protocol version 2) sending one message to each of many accounts:
 * pipelined {@code send} frames ({@link SenderSocket#sendFrame}), at most {@code window} unanswered
 * (the server reads at most 256 ahead), each answered {@code sent} or {@code refused}.
 */
final class FanOutSender extends ParleySocket {
  private static final int SENT = 3;
  private static final int REFUSED = 5;

  private final Semaphore window;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final WireCbor.Cursor in = new WireCbor.Cursor(); // the socket's reader only
  private long nextId; // the sending thread only
  private volatile long lastAnswerNanos;

  FanOutSender(int window) {
    this.window = new Semaphore(window);
  }

  /** Sends a message to device 1 of the account whose id's text item is {@code recipient}. */
  void send(byte[] recipient, int registrationId, Payload payload) throws InterruptedException {
    if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no send answered for 60 s");
    }
    byte[] frame =
        SenderSocket.sendFrame(
            nextId++, recipient, System.currentTimeMillis(), registrationId, payload);
    write(frame, 0, frame.length);
  }

  /** Waits until {@code count} sends were answered; false at the deadline. */
  boolean awaitAnswers(long count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (sent.get() + refused.get() < count) {
      if (System.nanoTime() > deadline || inputClosed()) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  long sent() {
    return sent.get();
  }

  long refused() {
    return refused.get();
  }

  long lastAnswerNanos() {
    return lastAnswerNanos;
  }

  @Override
  void frame(byte[] buf, int offset, int length, long receivedNanos) {
    try {
      in.reset(buf, offset, offset + length);
      int size = in.arrayHeader();
      int kind = size == 0 ? -1 : (int) in.unsigned();
      if (kind == SENT) {
        sent.incrementAndGet();
      } else if (kind == REFUSED) {
        in.tryNull();
        problem("send refused " + in.unsigned() + " " + in.text() + ": " + in.text());
        refused.incrementAndGet();
      } else {
        return; // pushes to the sender's own device
      }
      lastAnswerNanos = receivedNanos;
      window.release();
    } catch (WireCbor.Malformed | RuntimeException e) {
      problem("unreadable frame on the sender's socket: " + e.getMessage());
    }
  }

  @Override
  void ended(String why) {
    window.release(1 << 20); // nothing more will be answered; let the sending thread see it
  }
}
