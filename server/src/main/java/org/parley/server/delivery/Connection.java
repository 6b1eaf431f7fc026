package org.parley.server.delivery;

import io.javalin.websocket.WsContext;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.ws.ClientFrame;
import org.parley.protocol.ws.CloseCode;
import org.parley.protocol.ws.ServerFrame;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.message.MessageQueue;
import org.parley.server.message.MessageService;
import org.parley.server.message.StoredEnvelope;
import org.parley.server.prekey.PreKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's WebSocket. Everything it sends, and every query of the queue, runs on one
 * single-threaded executor, and the queue is read after {@link #cursor} (the seq of the last
 * envelope sent): the initial drain and each live push are the same "send everything after the
 * cursor" step, so an envelope is never sent twice on a connection and never skipped.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final int PAGE = 100;

  private final String id = UUID.randomUUID().toString();
  private final AuthenticatedDevice device;
  private final WsContext ws;
  private final MessageQueue queue;
  private final PreKeyStore preKeys;
  private final UnaryOperator<Envelope> delivered;
  private final ExecutorService sender =
      Executors.newSingleThreadExecutor(Thread.ofVirtual().name("ws-", 0).factory());
  private final AtomicBoolean pullScheduled = new AtomicBoolean();
  private volatile boolean closed;
  private long cursor; // touched only on the sender thread

  Connection(
      AuthenticatedDevice device,
      WsContext ws,
      MessageQueue queue,
      PreKeyStore preKeys,
      UnaryOperator<Envelope> delivered) {
    this.device = device;
    this.ws = ws;
    this.queue = queue;
    this.preKeys = preKeys;
    this.delivered = delivered;
  }

  String id() {
    return id;
  }

  AuthenticatedDevice device() {
    return device;
  }

  /** Sends what is queued, then {@code queue_empty}, then {@code keys_low} if the keys are low. */
  void start() {
    submit(
        () -> {
          pushPending();
          write(new ServerFrame.QueueEmpty());
          KeyCounts counts = preKeys.counts(device.accountId(), device.deviceId());
          if (counts.low()) {
            write(new ServerFrame.KeysLow(counts.preKeys(), counts.kyberPreKeys()));
          }
        });
  }

  /** New envelopes were committed for this device; coalesces bursts into one queue read. */
  void envelopesAvailable() {
    if (pullScheduled.compareAndSet(false, true)) {
      submit(
          () -> {
            pullScheduled.set(false); // an event from now on schedules another read
            pushPending();
          });
    }
  }

  void send(ServerFrame frame) {
    submit(() -> write(frame));
  }

  void onText(String text) {
    submit(() -> write(answer(text)));
  }

  void close(CloseCode code) {
    if (closed) {
      return;
    }
    closed = true;
    sender.shutdown(); // no interrupt: a task may be inside JDBC
    try {
      ws.closeSession(code.code(), code.reason());
    } catch (RuntimeException e) {
      LOG.debug("closing a WebSocket failed", e);
    }
  }

  /** The socket is gone (closed by either side); stop working for it. */
  void closed() {
    closed = true;
    sender.shutdown(); // no interrupt: a task may be inside JDBC
  }

  private void pushPending() {
    while (!closed) {
      List<StoredEnvelope> page =
          queue.pending(device.accountId(), device.deviceId(), cursor, PAGE);
      for (StoredEnvelope stored : page) {
        write(new ServerFrame.EnvelopeFrame(delivered.apply(stored.envelope())));
        cursor = stored.seq();
      }
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  private ServerFrame answer(String text) {
    try {
      ClientFrame frame = Json.read(text, ClientFrame.class);
      return switch (frame) {
        case ClientFrame.Ack ack -> {
          if (MessageService.mayBeQueued(ack.ids())
              && queue.acknowledge(device.accountId(), device.deviceId(), ack.ids())) {
            yield new ServerFrame.Acked(ack.ids());
          }
          yield error(
              ErrorCode.UNKNOWN_ENVELOPE,
              "an id is not queued for this device; nothing was deleted");
        }
      };
    } catch (ProtocolException e) {
      return error(e.code(), e.getMessage());
    }
  }

  private static ServerFrame error(ErrorCode code, String message) {
    return new ServerFrame.Error(code.wireName(), message);
  }

  private void write(ServerFrame frame) {
    if (!closed) {
      ws.send(Json.writeString(frame));
    }
  }

  private void submit(Runnable work) {
    if (closed) {
      return;
    }
    try {
      sender.execute(
          () -> {
            try {
              work.run();
            } catch (Exception e) { // Jetty's send may throw IOException undeclared
              if (!closed) {
                LOG.warn(
                    "WebSocket of {}.{} failed; closing it",
                    device.accountId(),
                    device.deviceId(),
                    e);
                close(CloseCode.SERVER_ERROR);
              }
            }
          });
    } catch (RejectedExecutionException e) {
      // closed concurrently: nothing left to do
    }
  }
}
