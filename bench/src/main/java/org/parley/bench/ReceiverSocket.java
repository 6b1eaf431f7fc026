package org.parley.bench;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiving device's WebSocket (protocol version 2): hands every envelope's content to the sink,
 * stamped when its {@code envelopes} frame is complete, and acknowledges envelopes in batches
 * ({@code ack} requests of up to {@code ackBatch} ids, or whatever is pending after {@code
 * ackDelay}), counting the ids the server confirmed with {@code acked}.
 *
 * <p>Envelope ids are never turned into strings: see {@link AckBatch}.
 */
final class ReceiverSocket extends ParleySocket {
  private static final int ACKED = 4;
  private static final int REFUSED = 5;
  private static final int ENVELOPES = 6;
  private static final int QUEUE_EMPTY = 7;

  private final ReceiptSink sink;
  private final int ackBatch;
  private final Duration ackDelay;
  private final ScheduledExecutorService timer;
  private final CountDownLatch queueEmpty = new CountDownLatch(1);
  private final AtomicLong ackedConfirmed = new AtomicLong();
  private final ConcurrentHashMap<Long, Integer> acksOutstanding = new ConcurrentHashMap<>();
  private final WireCbor.Cursor in = new WireCbor.Cursor(); // the socket's reader only
  private final AckBatch pending = new AckBatch(); // guarded by this
  private long ackSent; // guarded by this
  private long nextRequestId; // guarded by this

  private ReceiverSocket(
      ReceiptSink sink, int ackBatch, Duration ackDelay, ScheduledExecutorService timer) {
    this.sink = sink;
    this.ackBatch = ackBatch;
    this.ackDelay = ackDelay;
    this.timer = timer;
  }

  /** A receiver that is never opened and hands the frames it would write to {@code written}. */
  static ReceiverSocket unopened(
      ReceiptSink sink,
      int ackBatch,
      Duration ackDelay,
      ScheduledExecutorService timer,
      FrameOut written) {
    ReceiverSocket receiver = new ReceiverSocket(sink, ackBatch, ackDelay, timer);
    receiver.captureWrites(written);
    return receiver;
  }

  /**
   * Opens the socket and waits for {@code queue_empty}, so that later envelopes are pushed live.
   */
  static ReceiverSocket open(
      URI websocket,
      String authorization,
      ReceiptSink sink,
      int ackBatch,
      ScheduledExecutorService timer)
      throws Exception {
    ReceiverSocket receiver = new ReceiverSocket(sink, ackBatch, Duration.ofMillis(5), timer);
    receiver.open(websocket, authorization);
    if (!receiver.queueEmpty.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no queue_empty frame within 30 s of connecting");
    }
    if (receiver.problem() != null) {
      throw new IllegalStateException(receiver.problem());
    }
    return receiver;
  }

  @Override
  void frame(byte[] buf, int offset, int length, long receivedNanos) {
    try {
      in.reset(buf, offset, offset + length);
      int size = in.arrayHeader();
      int kind = size == 0 ? -1 : (int) in.unsigned();
      switch (kind) {
        case ENVELOPES -> envelopes(buf, size, receivedNanos);
        case ACKED -> {
          if (size != 2) {
            throw new WireCbor.Malformed("acked frame of " + size + " elements");
          }
          Integer count = acksOutstanding.remove(in.unsigned());
          if (count == null) {
            throw new IllegalStateException("acked for a request that is not outstanding");
          }
          ackedConfirmed.addAndGet(count);
        }
        case QUEUE_EMPTY -> queueEmpty.countDown();
        case REFUSED -> {
          if (size != 7) {
            throw new WireCbor.Malformed("refused frame of " + size + " elements");
          }
          Long id = in.tryNull() ? null : in.unsigned();
          long status = in.unsigned();
          problem("ack request " + id + " refused " + status + " " + in.text() + ": " + in.text());
        }
        default -> {} // devices_changed, keys_low: nothing to do for a benchmark
      }
    } catch (WireCbor.Malformed | RuntimeException e) {
      problem("unreadable frame on a receiver's socket: " + e.getMessage());
    }
  }

  /** {@code [6, [+ [id, source-account, source-handle, device, type, ts, server-ts, content]]]} */
  private void envelopes(byte[] buf, int size, long receivedNanos) throws WireCbor.Malformed {
    if (size != 2) {
      throw new WireCbor.Malformed("envelopes frame of " + size + " elements");
    }
    int count = in.arrayHeader();
    if (count == 0) {
      throw new WireCbor.Malformed("an envelopes frame without envelopes");
    }
    for (int i = 0; i < count; i++) {
      in.expectArray(8, "envelope");
      int idStart = in.position();
      in.string(WireCbor.TEXT);
      int idEnd = in.position();
      in.string(WireCbor.TEXT); // source account
      in.string(WireCbor.TEXT); // source handle
      in.unsigned(); // source device
      in.unsigned(); // type
      in.unsigned(); // timestamp
      in.unsigned(); // server timestamp
      int content = in.string(WireCbor.BYTES);
      sink.received(buf, content, in.position() - content, receivedNanos);
      queueAck(buf, idStart, idEnd - idStart);
    }
    if (!in.atEnd()) {
      throw new WireCbor.Malformed("trailing bytes after the envelopes frame");
    }
  }

  private void queueAck(byte[] buf, int from, int length) {
    boolean full;
    boolean first;
    synchronized (this) {
      pending.add(buf, from, length);
      full = pending.count() >= ackBatch;
      first = pending.count() == 1;
    }
    if (full) {
      flush();
    } else if (first) {
      timer.schedule(this::flush, ackDelay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Sends what is pending as one ack request. */
  synchronized void flush() {
    if (pending.count() == 0) {
      return;
    }
    long id = nextRequestId;
    nextRequestId = (nextRequestId + 1) & 0xffff_ffffL;
    acksOutstanding.put(id, pending.count());
    ackSent += pending.count();
    ByteBuffer frame = pending.take(id);
    write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
  }

  /** Flushes and waits until the server confirmed every ack sent, or the timeout passed. */
  boolean drain(Duration timeout) throws InterruptedException {
    flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ackedConfirmed.get() < ackSentSoFar()) {
      if (System.nanoTime() > deadline || errors() > 0 && inputClosed()) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  private synchronized long ackSentSoFar() {
    return ackSent;
  }

  @Override
  void ended(String why) {
    queueEmpty.countDown();
  }
}
