package org.parley.server.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;
import org.parley.server.http.ApiException;
import org.parley.server.message.MessageQueue;
import org.parley.server.message.MessageService;
import org.parley.server.storage.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one version 2 socket (docs/spec/websocket.md): each binary message is decoded,
 * run as the same operation its HTTP route runs, for the device the upgrade authenticated, and
 * answered with {@code sent}, {@code acked} or {@code refused}. Sends are pipelined: the answer
 * goes out when the send's group commit ends, and the socket's reader goes on meanwhile, up to
 * {@link #MAX_OUTSTANDING} unanswered requests.
 */
final class SocketRequests {
  static final int MAX_OUTSTANDING = 256;
  private static final Logger LOG = LoggerFactory.getLogger(SocketRequests.class);
  private static final Executor ACKS =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("ws-ack-", 0).factory());

  private final Connection connection;
  private final MessageService messages;
  private final MessageQueue queue;
  private final Semaphore outstanding = new Semaphore(MAX_OUTSTANDING);

  SocketRequests(Connection connection, MessageService messages, MessageQueue queue) {
    this.connection = connection;
    this.messages = messages;
    this.queue = queue;
  }

  /**
   * Takes one binary message. Blocks the socket's reader (and so, through TCP, the client) while
   * {@link #MAX_OUTSTANDING} requests are unanswered.
   */
  void onBinary(byte[] bytes) {
    BinaryFrame frame;
    try {
      frame = BinaryFrames.decode(bytes);
    } catch (CborException | IllegalArgumentException e) {
      connection.send(invalid(BinaryFrames.requestIdOf(bytes), e.getMessage()));
      return;
    }
    if (!(frame instanceof BinaryFrame.Request request)) {
      connection.send(
          invalid(null, "kind: only send and ack frames are requests a client may send"));
      return;
    }
    outstanding.acquireUninterruptibly();
    CompletableFuture<BinaryFrame> answer;
    try {
      answer = run(request);
    } catch (RuntimeException e) { // refused before anything started: rate limits, bad values
      answer = CompletableFuture.failedFuture(e);
    }
    answer
        .exceptionally(failure -> refusal(request.requestId(), failure))
        .thenAccept(
            frame1 -> {
              outstanding.release();
              connection.send(frame1);
            });
  }

  private CompletableFuture<BinaryFrame> run(BinaryFrame.Request request) {
    var device = connection.device();
    return switch (request) {
      case BinaryFrame.Send send ->
          messages
              .sendAsync(device, send.recipient(), send.request())
              .thenApply(
                  sent ->
                      new BinaryFrame.Sent(
                          send.requestId(), sent.serverTimestamp(), sent.devices()));
      case BinaryFrame.Ack ack ->
          CompletableFuture.supplyAsync(
              () -> {
                messages.acknowledge(device, new org.parley.protocol.message.AckRequest(ack.ids()));
                return new BinaryFrame.Acked(ack.requestId());
              },
              ACKS);
    };
  }

  /** The refusal a failure is, as ErrorMapping makes it over HTTP; never a detail of a bug. */
  private BinaryFrame refusal(long requestId, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    if (cause instanceof ApiException api) {
      String retry = api.headers().get("Retry-After");
      return new BinaryFrame.Refused(
          requestId,
          api.code().httpStatus(),
          api.body(),
          retry == null ? 0 : Long.parseLong(retry));
    }
    if (cause instanceof ProtocolException p) {
      return new BinaryFrame.Refused(
          requestId, p.code().httpStatus(), ErrorResponse.of(p.code(), p.getMessage()), 0);
    }
    if (cause instanceof IllegalArgumentException e) {
      return invalid(requestId, e.getMessage());
    }
    if (StorageHealth.isFull(cause, sql -> false)) {
      LOG.warn("storage full on a socket request: {}", cause.getMessage());
      ApiException full = ApiException.storageFull();
      return new BinaryFrame.Refused(
          requestId,
          full.code().httpStatus(),
          full.body(),
          ApiException.STORAGE_FULL_RETRY_SECONDS);
    }
    LOG.error("unexpected failure of a socket request", cause);
    return new BinaryFrame.Refused(
        requestId,
        ErrorCode.INTERNAL_ERROR.httpStatus(),
        ErrorResponse.of(ErrorCode.INTERNAL_ERROR, "internal error"),
        0);
  }

  private static BinaryFrame.Refused invalid(Long requestId, String message) {
    return new BinaryFrame.Refused(
        requestId,
        ErrorCode.INVALID_REQUEST.httpStatus(),
        ErrorResponse.of(ErrorCode.INVALID_REQUEST, message),
        0);
  }
}
