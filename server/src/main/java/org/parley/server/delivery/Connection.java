package org.parley.server.delivery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.websocket.api.BatchMode;
import org.eclipse.jetty.websocket.api.RemoteEndpoint;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.WriteCallback;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;
import org.parley.protocol.ws.ClientFrame;
import org.parley.protocol.ws.CloseCode;
import org.parley.protocol.ws.ServerFrame;
import org.parley.protocol.ws.Subprotocol;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.message.MessageQueue;
import org.parley.server.message.MessageService;
import org.parley.server.message.StoredEnvelope;
import org.parley.server.prekey.PreKeyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's WebSocket. Everything it sends runs on one serial executor, and envelopes go out in
 * seq order after {@link #cursor} (the seq of the last envelope sent): the initial drain, a push of
 * envelopes just committed (handed over in memory) and a read of the queue after a gap are the same
 * "send what follows the cursor" step, so an envelope is never sent twice on a connection and never
 * skipped.
 */
final class Connection {
  private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
  private static final int PAGE = 100;

  /** Version 2 frames: at most this many envelopes, and this much content beyond the first. */
  static final int FRAME_ENVELOPES = 64;

  static final int FRAME_CONTENT_BYTES = 256 * 1024;

  private final String id = UUID.randomUUID().toString();
  private final AuthenticatedDevice device;
  // Jetty's session, not Javalin's WsContext: once a WsContext has read an attribute it holds the
  // upgrade's whole HTTP request and channel (about 3.7 KB per idle socket, bench/idle.sh).
  private final Session ws;
  private final Subprotocol version;
  private final MessageQueue queue;
  private final PreKeyStore preKeys;
  private final UnaryOperator<Envelope> delivered;
  private final SerialExecutor sender = new SerialExecutor();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final Object inboxLock = new Object();
  private List<StoredEnvelope> inbox = new ArrayList<>(); // committed, not yet pushed; inboxLock
  private boolean readQueue; // an event without envelopes arrived; inboxLock
  private volatile boolean closed;
  private long cursor; // touched only by the serial executor's tasks
  private boolean flushQueued; // a flush of queued frames is submitted; serial tasks only
  private final WriteCallback writeFailed =
      new WriteCallback() {
        @Override
        public void writeFailed(Throwable failure) {
          if (!closed) {
            LOG.debug("writing to the WebSocket of {} failed; closing it", device, failure);
            close(CloseCode.SERVER_ERROR);
          }
        }
      };

  Connection(
      AuthenticatedDevice device,
      Session ws,
      Subprotocol version,
      MessageQueue queue,
      PreKeyStore preKeys,
      UnaryOperator<Envelope> delivered) {
    this.device = device;
    this.ws = ws;
    this.version = version;
    this.queue = queue;
    this.preKeys = preKeys;
    this.delivered = delivered;
    if (version == Subprotocol.V2) {
      ws.getRemote().setBatchMode(BatchMode.ON); // see writeBinary
    }
  }

  String id() {
    return id;
  }

  AuthenticatedDevice device() {
    return device;
  }

  Subprotocol version() {
    return version;
  }

  /** Sends what is queued, then {@code queue_empty}, then {@code keys_low} if the keys are low. */
  void start() {
    submit(
        () -> {
          pushFromQueue();
          write(new ServerFrame.QueueEmpty());
          KeyCounts counts = preKeys.counts(device.accountId(), device.deviceId());
          if (counts.low()) {
            write(new ServerFrame.KeysLow(counts.preKeys(), counts.kyberPreKeys()));
          }
        });
  }

  /**
   * New envelopes were committed for this device: {@code committed} if the event carried them, else
   * empty and the queue is read. Bursts coalesce into one push.
   */
  void envelopesAvailable(List<StoredEnvelope> committed) {
    synchronized (inboxLock) {
      if (committed.isEmpty()) {
        readQueue = true;
      } else {
        inbox.addAll(committed);
      }
    }
    if (flushScheduled.compareAndSet(false, true)) {
      submit(this::flush);
    }
  }

  void send(ServerFrame frame) {
    submit(() -> write(frame));
  }

  /**
   * Pushes an ephemeral envelope, in turn with everything else this connection sends but outside
   * the queue: the cursor does not move, and the client does not acknowledge it.
   */
  void ephemeral(Envelope envelope) {
    submit(
        () -> {
          if (version == Subprotocol.V1) {
            write(new ServerFrame.EnvelopeFrame(envelope));
          } else {
            writeBinary(new BinaryFrame.Envelopes(List.of(envelope)));
          }
        });
  }

  /** A version 2 frame, written in turn with everything else this connection sends. */
  void send(BinaryFrame frame) {
    submit(() -> writeBinary(frame));
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
      ws.close(code.code(), code.reason());
    } catch (RuntimeException e) {
      LOG.debug("closing a WebSocket failed", e);
    }
  }

  /** Closes with a standard code of RFC 6455 (e.g. 1003 for a text frame on version 2). */
  void close(int code, String reason) {
    if (!closed) {
      closed = true;
      sender.shutdown();
      try {
        ws.close(code, reason);
      } catch (RuntimeException e) {
        LOG.debug("closing a WebSocket failed", e);
      }
    }
  }

  /** The socket is gone (closed by either side); stop working for it. */
  void closed() {
    closed = true;
    sender.shutdown(); // no interrupt: a task may be inside JDBC
  }

  private void flush() {
    flushScheduled.set(false); // an event from now on schedules another flush
    List<StoredEnvelope> committed;
    boolean read;
    synchronized (inboxLock) {
      committed = inbox;
      inbox = new ArrayList<>();
      read = readQueue;
      readQueue = false;
    }
    List<StoredEnvelope> next = new ArrayList<>(committed.size());
    for (StoredEnvelope e : committed) {
      if (e.seq() <= cursor) {
        continue; // a queue read already sent it
      }
      if (e.seq() != cursor + 1 + next.size()) {
        read = true; // a gap: something committed that this connection was not handed
        break;
      }
      next.add(e);
    }
    if (read) {
      pushFromQueue();
    } else {
      push(next);
    }
  }

  /** Sends everything queued after the cursor, a page at a time. */
  private void pushFromQueue() {
    while (!closed) {
      List<StoredEnvelope> page =
          queue.pending(device.accountId(), device.deviceId(), cursor, PAGE);
      push(page);
      if (page.size() < PAGE) {
        return;
      }
    }
  }

  /** Sends envelopes that directly follow the cursor, in seq order, and advances it. */
  private void push(List<StoredEnvelope> envelopes) {
    if (envelopes.isEmpty() || closed) {
      return;
    }
    if (version == Subprotocol.V1) {
      for (StoredEnvelope stored : envelopes) {
        write(new ServerFrame.EnvelopeFrame(delivered.apply(stored.envelope())));
        cursor = stored.seq();
      }
      return;
    }
    List<Envelope> frame = new ArrayList<>(Math.min(envelopes.size(), FRAME_ENVELOPES));
    long bytes = 0;
    for (StoredEnvelope stored : envelopes) {
      Envelope e = delivered.apply(stored.envelope());
      if (!frame.isEmpty()
          && (frame.size() == FRAME_ENVELOPES
              || bytes + e.content().length > FRAME_CONTENT_BYTES)) {
        writeBinary(new BinaryFrame.Envelopes(frame));
        frame = new ArrayList<>();
        bytes = 0;
      }
      frame.add(e);
      bytes += e.content().length;
      cursor = stored.seq();
    }
    writeBinary(new BinaryFrame.Envelopes(frame));
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
    if (closed) {
      return;
    }
    if (version == Subprotocol.V1) {
      try {
        ws.getRemote().sendString(Json.writeString(frame)); // blocking, as Javalin's send was
      } catch (IOException e) {
        throw new UncheckedIOException(e); // the task's failure: submit closes the socket
      }
      return;
    }
    switch (frame) {
      case ServerFrame.EnvelopeFrame e ->
          writeBinary(new BinaryFrame.Envelopes(List.of(e.envelope())));
      case ServerFrame.QueueEmpty q -> writeBinary(new BinaryFrame.QueueEmpty());
      case ServerFrame.DevicesChanged d ->
          writeBinary(new BinaryFrame.DevicesChanged(d.accountId()));
      case ServerFrame.KeysLow k ->
          writeBinary(new BinaryFrame.KeysLow(k.preKeys(), k.kyberPreKeys()));
      case ServerFrame.Acked a -> throw new IllegalStateException("version 2 answers with acked");
      case ServerFrame.Error e -> throw new IllegalStateException("version 2 answers with refused");
    }
  }

  /**
   * Queues a version 2 frame without waiting for the socket, and makes sure a flush follows the
   * tasks already waiting: the answers of one group commit and the pushes they cause leave in one
   * write instead of a system call each (they were a tenth of the server's CPU at P=10). The flush
   * blocks until the socket took everything, so a device that reads slowly still holds up only its
   * own connection.
   */
  private void writeBinary(BinaryFrame frame) {
    if (closed) {
      return;
    }
    RemoteEndpoint remote = ws.getRemote();
    remote.sendBytes(ByteBuffer.wrap(BinaryFrames.encode(frame)), writeFailed);
    if (!flushQueued) {
      flushQueued = true;
      submit(this::flushWrites);
    }
  }

  private void flushWrites() {
    flushQueued = false;
    if (!closed) {
      try {
        ws.getRemote().flush();
      } catch (java.io.IOException e) {
        writeFailed.writeFailed(e);
      }
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
