package org.parley.client.transport;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;
import org.parley.client.ClientException;
import org.parley.client.ServerException;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;

/**
 * Requests over an open WebSocket of protocol version 2 (docs/spec/websocket.md): each gets an id,
 * its answer ({@code sent}, {@code acked} or {@code refused}) completes it, whatever order answers
 * come in. A refusal becomes the {@link ServerException} the same refusal raises over HTTP, so
 * callers handle both paths alike. When the socket ends, every unanswered request fails with {@link
 * Lost}: whether the server took it is unknown.
 */
public final class RequestSocket {
  /** The socket ended before the answer came: the request may or may not have been carried out. */
  public static final class Lost extends ClientException {
    Lost(String message) {
      super(message);
    }
  }

  private final WebSocket socket;
  private final Map<Long, CompletableFuture<BinaryFrame>> waiting = new ConcurrentHashMap<>();
  private long nextId;
  private volatile boolean closed;

  public RequestSocket(WebSocket socket) {
    this.socket = socket;
  }

  public boolean isOpen() {
    return !closed && !socket.isOutputClosed() && !socket.isInputClosed();
  }

  /**
   * Sends the request {@code build} makes with its id and waits for its answer.
   *
   * @throws ServerException if the server refused it
   * @throws Lost if the socket ended (or stayed silent for {@code timeout}) before the answer
   */
  public BinaryFrame call(LongFunction<BinaryFrame.Request> build, Duration timeout) {
    CompletableFuture<BinaryFrame> answer = new CompletableFuture<>();
    long id;
    synchronized (this) {
      if (!isOpen()) {
        throw new Lost("the socket is closed");
      }
      id = nextId;
      nextId = (nextId + 1) & BinaryFrame.MAX_REQUEST_ID;
      waiting.put(id, answer);
      if (closed) { // closed() sets the flag before it fails what waits: one of us sees the other
        waiting.remove(id);
        throw new Lost("the socket is closed");
      }
      // java.net.http allows one outstanding send per socket: writes are taken in turn
      try {
        socket
            .sendBinary(ByteBuffer.wrap(BinaryFrames.encode(build.apply(id))), true)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        waiting.remove(id);
        Thread.currentThread().interrupt();
        throw new ClientException("interrupted while sending on the socket", e);
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        waiting.remove(id);
        socket.abort();
        throw new Lost("the socket failed while sending: " + e);
      }
    }
    try {
      BinaryFrame frame = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (frame instanceof BinaryFrame.Refused refused) {
        throw refusal(refused);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for the server", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof ClientException c ? c : new Lost(e.getCause().toString());
    } catch (TimeoutException e) {
      socket.abort(); // a server that does not answer is treated as gone
      throw new Lost("no answer on the socket for " + timeout.toSeconds() + " s");
    } finally {
      waiting.remove(id);
    }
  }

  /**
   * Hands an answer frame to the request it names; false if it is not an answer to a request of
   * this socket (a refusal without an id, say).
   */
  public boolean answer(BinaryFrame frame) {
    Long id =
        switch (frame) {
          case BinaryFrame.Sent s -> s.requestId();
          case BinaryFrame.Acked a -> a.requestId();
          case BinaryFrame.Refused r -> r.requestId();
          default -> null;
        };
    CompletableFuture<BinaryFrame> f = id == null ? null : waiting.remove(id);
    return f != null && f.complete(frame);
  }

  /** The socket ended: whatever waits fails with {@link Lost}. */
  public void closed(String why) {
    closed = true;
    for (var f : waiting.values()) {
      f.completeExceptionally(new Lost("the socket ended before the answer: " + why));
    }
    waiting.clear();
  }

  private static ServerException refusal(BinaryFrame.Refused r) {
    ErrorCode code;
    try {
      code = ErrorCode.fromWireName(r.error().code());
    } catch (IllegalArgumentException e) {
      code = ErrorCode.INTERNAL_ERROR;
    }
    return new ServerException(
        code,
        r.error().message() == null || r.error().message().isBlank()
            ? "the server answered " + r.status()
            : r.error().message(),
        r.status(),
        r.error(),
        r.retryAfterSeconds() > 0 ? Duration.ofSeconds(r.retryAfterSeconds()) : null);
  }
}
