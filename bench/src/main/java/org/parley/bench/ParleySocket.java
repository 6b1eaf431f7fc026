package org.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.parley.protocol.ws.Subprotocol;

/**
 * One device's WebSocket speaking protocol version 2 (docs/spec/websocket.md): reassembles binary
 * messages into one reused array and hands each complete one to {@link #frame}, and writes frames
 * one after the other ({@link WebSocket} allows one outstanding send). Subclasses are the two roles
 * of a pair: {@link SenderSocket} and {@link ReceiverSocket}.
 */
abstract class ParleySocket implements WebSocket.Listener {
  private byte[] message = new byte[64 * 1024];
  private int length;
  private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>(); // guarded by this
  private boolean writing; // guarded by this
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private volatile WebSocket socket;
  private volatile boolean closing;
  private volatile Consumer<ByteBuffer> capture; // tests: frames go here instead of a socket

  /**
   * Opens the socket offering only {@code parley.2}: a server that answers without choosing it
   * speaks version 1 and cannot be driven this way.
   */
  void open(HttpClient http, URI websocket, String authorization) throws Exception {
    WebSocket ws =
        http.newWebSocketBuilder()
            .header("Authorization", authorization)
            .subprotocols(Subprotocol.V2.wireName())
            .connectTimeout(Duration.ofSeconds(10))
            .buildAsync(websocket, this)
            .get(30, TimeUnit.SECONDS);
    if (!Subprotocol.V2.wireName().equals(ws.getSubprotocol())) {
      ws.abort();
      throw new IllegalStateException(
          "the server did not choose "
              + Subprotocol.V2.wireName()
              + " (answered '"
              + ws.getSubprotocol()
              + "'): it has no WebSocket protocol version 2");
    }
    socket = ws;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    // every message is copied out before onBinary returns, so there is no reason to pace them
    webSocket.request(Long.MAX_VALUE);
  }

  /** One complete binary message, in {@code buf[0, length)}, valid only during the call. */
  abstract void frame(byte[] buf, int length, long receivedNanos);

  /** The connection ended or failed; outstanding work will never be answered. */
  abstract void ended(String why);

  @Override
  public final CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    int n = data.remaining();
    if (length + n > message.length) {
      byte[] bigger = new byte[Math.max(message.length * 2, length + n)];
      System.arraycopy(message, 0, bigger, 0, length);
      message = bigger;
    }
    data.get(message, length, n);
    length += n;
    if (last) {
      long now = System.nanoTime();
      int complete = length;
      length = 0;
      frame(message, complete, now);
    }
    return null;
  }

  @Override
  public final CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (last) {
      problem("a text message on a version 2 socket");
    }
    return null;
  }

  /** Hands the frames this socket would write to {@code capture}; it is never opened. */
  final void captureWrites(Consumer<ByteBuffer> capture) {
    this.capture = capture;
  }

  /** Sends one binary frame after those before it; {@code frame} must not be touched after. */
  final void write(ByteBuffer frame) {
    Consumer<ByteBuffer> test = capture;
    if (test != null) {
      test.accept(frame);
      return;
    }
    synchronized (this) {
      if (writing) {
        queued.add(frame);
        return;
      }
      writing = true;
    }
    writeFrom(frame);
  }

  private void writeFrom(ByteBuffer first) {
    ByteBuffer frame = first;
    while (frame != null) {
      CompletableFuture<WebSocket> sent = socket.sendBinary(frame, true);
      if (!sent.isDone()) {
        sent.whenComplete((ws, failure) -> afterWrite(failure, true));
        return;
      }
      frame = afterWrite(sent.isCompletedExceptionally() ? failure(sent) : null, false);
    }
  }

  /** Takes the next queued frame; continues writing it when called from a completion. */
  private ByteBuffer afterWrite(Throwable failure, boolean resume) {
    if (failure != null && !closing) {
      problem("send failed: " + failure);
    }
    ByteBuffer next;
    synchronized (this) {
      next = queued.poll();
      if (next == null) {
        writing = false;
      }
    }
    if (resume && next != null) {
      writeFrom(next);
      return null;
    }
    return next;
  }

  private static Throwable failure(CompletableFuture<?> done) {
    try {
      done.join();
      return null;
    } catch (RuntimeException e) {
      return e.getCause() == null ? e : e.getCause();
    }
  }

  final void problem(String what) {
    errors.incrementAndGet();
    problem.compareAndSet(null, what);
  }

  final long errors() {
    return errors.get();
  }

  final String problem() {
    return problem.get();
  }

  final boolean inputClosed() {
    WebSocket ws = socket;
    return ws == null || ws.isInputClosed();
  }

  @Override
  public final CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    if (!closing) {
      problem("socket closed by the server: " + statusCode + " " + reason);
    }
    ended("socket closed: " + statusCode + " " + reason);
    return null;
  }

  @Override
  public final void onError(WebSocket webSocket, Throwable error) {
    if (!closing) {
      problem("socket failed: " + error);
    }
    ended("socket failed: " + error);
  }

  void close() {
    WebSocket ws = socket;
    if (ws == null) {
      return;
    }
    closing = true;
    try {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // a write may still be under way, or the server closed first; abort below either way
    }
    ws.abort();
  }
}
