package org.parley.bench;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.protocol.Json;
import org.parley.protocol.ws.ClientFrame;
import org.parley.protocol.ws.ServerFrame;

/**
 * A receiving device's WebSocket: hands every envelope's content to the sink, stamped when its
 * frame is complete, and acknowledges envelopes in batches ({@code ack} frames of up to {@code
 * ackBatch} ids, or whatever is pending after {@code ackDelay}).
 */
final class ReceiverSocket implements WebSocket.Listener {
  private static final ObjectReader FRAMES = Json.mapper().readerFor(ServerFrame.class);
  private static final ObjectWriter ACKS = Json.mapper().writerFor(ClientFrame.class);

  private final ReceiptSink sink;
  private final int ackBatch;
  private final Duration ackDelay;
  private final ScheduledExecutorService timer;
  private final StringBuilder partial = new StringBuilder();
  private final CountDownLatch queueEmpty = new CountDownLatch(1);
  private final AtomicLong ackedConfirmed = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private List<String> pending = new ArrayList<>(); // guarded by this
  private long ackSent; // guarded by this
  private CompletableFuture<?> sending = CompletableFuture.completedFuture(null); // guarded by this
  private volatile WebSocket socket;
  private volatile boolean closing;

  private ReceiverSocket(
      ReceiptSink sink, int ackBatch, Duration ackDelay, ScheduledExecutorService timer) {
    this.sink = sink;
    this.ackBatch = ackBatch;
    this.ackDelay = ackDelay;
    this.timer = timer;
  }

  /**
   * Opens the socket and waits for {@code queue_empty}, so that later envelopes are pushed live.
   */
  static ReceiverSocket open(
      HttpClient http,
      URI websocket,
      String authorization,
      ReceiptSink sink,
      int ackBatch,
      ScheduledExecutorService timer)
      throws Exception {
    ReceiverSocket receiver = new ReceiverSocket(sink, ackBatch, Duration.ofMillis(5), timer);
    receiver.socket =
        http.newWebSocketBuilder()
            .header("Authorization", authorization)
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(websocket, receiver)
            .get(30, TimeUnit.SECONDS);
    if (!receiver.queueEmpty.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("no queue_empty frame within 30 s of connecting");
    }
    if (receiver.problem() != null) {
      throw new IllegalStateException(receiver.problem());
    }
    return receiver;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      long now = System.nanoTime();
      String text = partial.toString();
      partial.setLength(0);
      handle(text, now);
    }
    webSocket.request(1);
    return null;
  }

  private void handle(String text, long receivedNanos) {
    ServerFrame frame;
    try {
      frame = FRAMES.readValue(text);
    } catch (Exception e) {
      errors.incrementAndGet();
      problem.compareAndSet(null, "unreadable frame: " + e.getMessage());
      return;
    }
    switch (frame) {
      case ServerFrame.EnvelopeFrame e -> {
        sink.received(e.envelope().content(), receivedNanos);
        queueAck(e.envelope().id());
      }
      case ServerFrame.Acked a -> ackedConfirmed.addAndGet(a.ids().size());
      case ServerFrame.QueueEmpty q -> queueEmpty.countDown();
      case ServerFrame.Error e -> {
        errors.incrementAndGet();
        problem.compareAndSet(null, "error frame " + e.code() + ": " + e.message());
      }
      default -> {}
    }
  }

  private void queueAck(String id) {
    boolean full;
    boolean first;
    synchronized (this) {
      pending.add(id);
      full = pending.size() >= ackBatch;
      first = pending.size() == 1;
    }
    if (full) {
      flush();
    } else if (first) {
      timer.schedule(this::flush, ackDelay.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  /** Sends what is pending as one ack frame, after the frame before it has gone out. */
  synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    List<String> ids = pending;
    pending = new ArrayList<>();
    ackSent += ids.size();
    String frame;
    try {
      frame = ACKS.writeValueAsString(new ClientFrame.Ack(ids));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    WebSocket ws = socket;
    sending = sending.thenCompose(x -> ws.sendText(frame, true));
  }

  /** Flushes and waits until the server confirmed every ack sent, or the timeout passed. */
  boolean drain(Duration timeout) throws InterruptedException {
    flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (ackedConfirmed.get() < ackSentSoFar()) {
      if (System.nanoTime() > deadline || errors.get() > 0 && socket.isInputClosed()) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  private synchronized long ackSentSoFar() {
    return ackSent;
  }

  long errors() {
    return errors.get();
  }

  String problem() {
    return problem.get();
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    if (!closing) {
      problem.compareAndSet(null, "socket closed by the server: " + statusCode + " " + reason);
    }
    queueEmpty.countDown();
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    if (closing) {
      return;
    }
    errors.incrementAndGet();
    problem.compareAndSet(null, "socket failed: " + error);
    queueEmpty.countDown();
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  void close() {
    WebSocket ws = socket;
    if (ws == null) {
      return;
    }
    closing = true;
    try {
      synchronized (this) {
        sending = sending.thenCompose(x -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
      }
      sending.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the server may close first; abort below either way
    }
    ws.abort();
  }
}
