package org.parley.client;

import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.client.EnvelopeProcessor.OwedReceipt;
import org.parley.client.transport.RequestSocket;
import org.parley.client.transport.ServerApi;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Json;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;
import org.parley.protocol.ws.ClientFrame;
import org.parley.protocol.ws.CloseCode;
import org.parley.protocol.ws.ServerFrame;
import org.parley.protocol.ws.Subprotocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives on the WebSocket (docs/spec/delivery.md): processes each pushed envelope, acknowledges
 * it with an {@code ack} frame, sends the receipts owed once the queue is drained, refills prekeys
 * on {@code keys_low} and refreshes the device list on {@code devices_changed}. Reconnects with
 * exponential backoff (1 s to 30 s) until closed, or until the server says this device's credential
 * no longer works. Frames are handled on the listener's own thread, one at a time.
 *
 * <p>Nothing handled is lost to a dropped connection (issue 8): an envelope's events are emitted
 * once it is stored, before its {@code ack}; an {@code ack} that cannot be sent is a lost
 * connection (the server then delivers the envelope again on the next one, and a redelivery of a
 * processed envelope is acknowledged without events). Reconnecting starts after {@link
 * #MIN_BACKOFF} and backs off to {@link #MAX_BACKOFF} at most, with jitter: a failed attempt on a
 * server that is down costs one refused TCP connection, so probing every few seconds is cheap, and
 * a listener is back within seconds of the server's return (a 30 s cap left listeners away for over
 * a minute under repeated restarts).
 */
public final class MessageListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MessageListener.class);
  static final Duration MIN_BACKOFF = Duration.ofMillis(200);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(3);

  /** How long an ack may take to be written before the connection counts as lost. */
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(10);

  /**
   * The server pings every 30 s; this long without any frame means the connection is dead. A
   * connection that ends right after an ack was written can end without a close or an error
   * callback, so the listener also pings after {@link #PROBE} of silence: the pong, or the failed
   * write, tells sooner.
   */
  private static final Duration SILENCE = Duration.ofSeconds(40);

  private static final Duration PROBE = Duration.ofSeconds(10);

  private final ParleyClient client;
  private final ServerApi api;
  private final Consumer<ClientEvent> callback;
  private final Thread thread;
  private volatile boolean closed;
  private volatile WebSocket socket;
  private volatile ClientException failure;

  /** Requests on the current connection if it speaks version 2, else null (version 1). */
  private volatile RequestSocket requests;

  private long nextKtCheck;

  /** Envelopes held back on this connection (their sender not proven yet), by id. */
  private final java.util.Map<String, org.parley.protocol.message.Envelope> held =
      new java.util.LinkedHashMap<>();

  /** Items the socket callbacks hand to the processing thread. */
  private sealed interface Item {}

  private record Text(String text) implements Item {}

  /** A push of protocol version 2, as the version 1 frame that says the same. */
  private record Pushed(ServerFrame frame) implements Item {}

  private record Closed(int code, String reason) implements Item {}

  private record Failed(Throwable error) implements Item {}

  private final ListenLock lock;

  MessageListener(
      ParleyClient client, ServerApi api, Consumer<ClientEvent> callback, ListenLock lock) {
    this.lock = lock;
    this.client = client;
    this.api = api;
    this.callback = callback;
    this.thread =
        new Thread(
            () -> {
              try {
                while (true) {
                  try {
                    run();
                    return;
                  } catch (RuntimeException e) {
                    // a bug, or local state failing: the listener stays, as a person relies on it
                    log.warn("the listener failed; connecting again: {}", e.toString());
                    if (closed) {
                      return;
                    }
                    pause(MAX_BACKOFF);
                  }
                }
              } finally {
                lock.close(); // the next listener of this profile may start
              }
            },
            "parley-listener");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Waits until the listener stops (closed, or the credential stopped working). */
  public void join() throws InterruptedException {
    thread.join();
  }

  /** Waits at most {@code timeout}; true if it stopped. */
  public boolean join(Duration timeout) throws InterruptedException {
    return thread.join(timeout);
  }

  /** Why the listener stopped by itself (the device was removed, say), if it did. */
  public java.util.Optional<ClientException> failure() {
    return java.util.Optional.ofNullable(failure);
  }

  /**
   * Stops listening: the envelope being processed is finished and acknowledged and the receipts
   * owed are sent (for at most a few seconds), then the connection is closed.
   */
  @Override
  public void close() {
    closed = true;
    try {
      if (!thread.join(Duration.ofSeconds(10))) {
        thread.interrupt();
        thread.join(Duration.ofSeconds(2));
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    Duration backoff = MIN_BACKOFF;
    while (!closed) {
      BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
      Forwarder forwarder = new Forwarder(queue);
      held.clear(); // a new connection drains what is unacknowledged, held envelopes included
      try {
        socket = api.openSocket(forwarder).join();
      } catch (RuntimeException e) {
        ClientException why = api.socketFailure(e);
        if (stopsForGood(why)) {
          return;
        }
        emit(new ClientEvent.ConnectionChanged(false, why.getMessage()));
        backoff = pause(backoff);
        continue;
      }
      backoff = MIN_BACKOFF;
      if (Subprotocol.V2.wireName().equals(socket.getSubprotocol())) {
        // sends, receipts and acks of this device now travel on this socket (ServerApi#send)
        RequestSocket open = new RequestSocket(socket);
        forwarder.requests = open;
        requests = open;
        api.useSocket(open);
      }
      emit(new ClientEvent.ConnectionChanged(true, "connected to " + api.base()));
      client.flushOutboxQuietly(); // texts the server could not take while we were away
      try {
        client.refillPreKeys();
      } catch (ClientException e) {
        log.warn("could not check the prekeys left on the server: {}", e.getMessage());
      }
      checkKeyTransparency(true);
      String why = serve(queue, forwarder);
      WebSocket ws = socket;
      socket = null;
      RequestSocket open = requests;
      requests = null;
      if (open != null) {
        api.useSocket(null);
        open.closed(why);
      }
      if (ws != null && !ws.isOutputClosed()) {
        try {
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
          ws.abort();
        }
      }
      if (closed) {
        return;
      }
      emit(new ClientEvent.ConnectionChanged(false, why));
      if (failure != null) {
        return;
      }
      backoff = pause(backoff);
    }
  }

  /** Handles frames until the connection ends; returns why it ended. */
  private String serve(BlockingQueue<Item> queue, Forwarder forwarder) {
    List<OwedReceipt> owed = new ArrayList<>();
    try {
      while (!closed) {
        Item item = queue.poll(200, TimeUnit.MILLISECONDS);
        if (checkKeyTransparency(false)) {
          retryHeld(owed);
        }
        housekeeping();
        if (item == null) {
          WebSocket current = socket;
          if (current != null && (current.isInputClosed() || current.isOutputClosed())) {
            // the transport ended without a close frame or an error callback (seen after an
            // ack written just before the peer went away): no need to wait for the silence
            flushQuietly(owed);
            current.abort();
            return "connection lost";
          }
          long quiet = System.nanoTime() - forwarder.lastHeard;
          if (current != null
              && quiet > PROBE.toNanos()
              && System.nanoTime() - forwarder.lastProbe > PROBE.toNanos()) {
            forwarder.lastProbe = System.nanoTime();
            try {
              current
                  .sendPing(java.nio.ByteBuffer.allocate(0))
                  .exceptionally(
                      t -> {
                        current.abort(); // seen as closed on the next poll
                        return null;
                      });
            } catch (RuntimeException e) {
              current.abort();
              return "connection lost: " + e.getMessage();
            }
          }
          if (quiet > SILENCE.toNanos()) {
            flushQuietly(owed);
            WebSocket ws = socket;
            if (ws != null) {
              ws.abort();
            }
            return "no word from the server for " + SILENCE.toSeconds() + " s";
          }
          continue;
        }
        switch (item) {
          case Text(String text) -> {
            handle(text, owed);
            if (queue.isEmpty()) {
              flush(owed); // caught up: send what we owe now rather than after a quiet second
            }
          }
          case Pushed(ServerFrame frame) -> {
            handle(frame, owed);
            if (queue.isEmpty()) {
              flush(owed);
            }
          }
          case Closed(int code, String reason) -> {
            flush(owed);
            CloseCode known = CloseCode.of(code).orElse(null);
            if (known == CloseCode.REMOVED) {
              failure =
                  new ClientException(
                      "the server closed the connection: this device was removed from the account."
                          + " parley reset clears this profile, to register or link it again");
            } else if (known == CloseCode.REPLACED) {
              failure =
                  new ClientException(
                      "another connection of this device replaced this one (is parley listen"
                          + " running elsewhere with the same profile?)");
            }
            return "connection closed (" + code + (reason.isEmpty() ? "" : ": " + reason) + ")";
          }
          case Failed(Throwable error) -> {
            flush(owed);
            return "connection lost: " + api.socketFailure(error).getMessage();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } catch (RuntimeException e) {
      // a lost connection (an ack that could not be sent), or an envelope to try again later:
      // either way the connection is dropped and a new one delivers what is unacknowledged
      String why = e instanceof ClientException ? e.getMessage() : e.toString();
      log.warn("stopped handling the connection: {}", why);
      WebSocket ws = socket;
      if (ws != null) {
        ws.abort();
      }
      flushQuietly(owed);
      return why;
    }
    flushQuietly(owed);
    return "closed";
  }

  /**
   * Runs this device's key-transparency duties on connecting and then about once per log epoch (at
   * least a second apart); each alarm becomes an event.
   */
  private boolean checkKeyTransparency(boolean now) {
    long time = System.nanoTime();
    if (!now && time - nextKtCheck < 0) {
      return false;
    }
    try {
      nextKtCheck = time + TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, client.ktEpochMillis()));
      client.monitorKeyTransparency().forEach(this::emit); // alarms and device changes
    } catch (ClientException e) {
      log.warn("key-transparency check failed: {}", e.getMessage());
    }
    return true;
  }

  private void handle(String text, List<OwedReceipt> owed) {
    ServerFrame frame;
    try {
      frame = Json.read(text, ServerFrame.class);
    } catch (RuntimeException e) {
      log.warn("ignoring a frame this client cannot read: {}", e.getMessage());
      return;
    }
    handle(frame, owed);
  }

  private void handle(ServerFrame frame, List<OwedReceipt> owed) {
    switch (frame) {
      case ServerFrame.EnvelopeFrame(var envelope) -> {
        EnvelopeProcessor.Outcome outcome = client.processPushed(envelope);
        // stored: shown whatever becomes of the ack, since a redelivery shows nothing
        outcome.events().forEach(this::emit);
        outcome.receipt().ifPresent(owed::add);
        if (outcome.ack()) {
          ack(envelope);
        } else if (!envelope.ephemeral()) {
          held.put(envelope.id(), envelope); // the server pushes it only once per connection
        }
      }
      case ServerFrame.QueueEmpty q -> flush(owed);
      case ServerFrame.KeysLow low -> {
        try {
          client.refillPreKeys(
              new org.parley.protocol.keys.KeyCounts(low.preKeys(), low.kyberPreKeys()));
        } catch (ClientException e) {
          log.warn("could not upload prekeys: {}", e.getMessage());
        }
      }
      case ServerFrame.DevicesChanged changed -> {
        try {
          client.refreshOwnDevices();
        } catch (ClientException e) {
          log.warn("could not refresh this account's device list: {}", e.getMessage());
        }
      }
      case ServerFrame.Acked acked -> {}
      case ServerFrame.Error error ->
          log.warn("the server refused a frame: {} {}", error.code(), error.message());
    }
  }

  /** Sends the ack; one that cannot be sent is a lost connection. */
  private void ack(org.parley.protocol.message.Envelope envelope) {
    if (envelope.ephemeral()) {
      return; // never stored, so nothing to delete (docs/spec/api.md, "Ephemeral messages")
    }
    WebSocket ws = socket;
    if (ws == null) {
      throw new ClientException("connection lost before an acknowledgement");
    }
    RequestSocket open = requests;
    if (open != null) {
      try {
        open.call(id -> new BinaryFrame.Ack(id, List.of(envelope.id())), ACK_TIMEOUT);
      } catch (RequestSocket.Lost e) {
        throw new ClientException("connection lost while acknowledging: " + e.getMessage(), e);
      } catch (ServerException e) {
        // unknown_envelope: it is gone already (acknowledged before a reconnect)
        log.warn("the server refused an acknowledgement: {}", e.getMessage());
      }
      return;
    }
    try {
      ws.sendText(Json.writeString(new ClientFrame.Ack(List.of(envelope.id()))), true)
          .get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while acknowledging", e);
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | RuntimeException e) {
      throw new ClientException(
          "connection lost while acknowledging: "
              + api.socketFailure(
                      e instanceof java.util.concurrent.ExecutionException && e.getCause() != null
                          ? e.getCause()
                          : e)
                  .getMessage(),
          e);
    }
  }

  /**
   * Tries the held envelopes again (once per epoch); those now proven or refused for good are
   * acknowledged, and the receipts they owe are queued with the others.
   */
  private void retryHeld(List<OwedReceipt> owed) {
    try {
      for (var it = held.values().iterator(); it.hasNext(); ) {
        var envelope = it.next();
        EnvelopeProcessor.Outcome outcome = client.processPushed(envelope);
        if (outcome.ack()) {
          it.remove();
          outcome.events().forEach(this::emit);
          outcome.receipt().ifPresent(owed::add);
          ack(envelope);
        }
      }
    } catch (ClientException e) {
      log.warn("could not retry the held messages yet: {}", e.getMessage());
    }
    flush(owed);
  }

  /** When the listener last deleted due disappearing messages and sent owed read receipts. */
  private long lastHousekeeping;

  /**
   * Once a second: deletes the disappearing messages whose time came, and sends the read receipts
   * another command (history) owed.
   */
  private void housekeeping() {
    long now = System.nanoTime();
    if (now - lastHousekeeping < HOUSEKEEPING.toNanos()) {
      return;
    }
    lastHousekeeping = now;
    try {
      client.expireMessages();
      client.sendReadReceiptsQuietly();
    } catch (RuntimeException e) {
      log.warn("housekeeping failed: {}", e.getMessage());
    }
  }

  private static final Duration HOUSEKEEPING = Duration.ofSeconds(1);

  private void flush(List<OwedReceipt> owed) {
    if (!owed.isEmpty()) {
      List<OwedReceipt> copy = List.copyOf(owed);
      owed.clear();
      client.sendReceipts(copy);
    }
  }

  private void flushQuietly(List<OwedReceipt> owed) {
    try {
      flush(owed);
    } catch (RuntimeException e) {
      log.warn("could not send delivery receipts: {}", e.getMessage());
    }
  }

  private boolean stopsForGood(ClientException why) {
    if (why instanceof ServerException se && se.code() == ErrorCode.UNAUTHORIZED) {
      failure =
          new ClientException(
              "the server no longer accepts this device's credential (was it removed?). parley"
                  + " reset clears this profile, to register or link it again",
              why);
      emit(new ClientEvent.ConnectionChanged(false, failure.getMessage()));
      return true;
    }
    return false;
  }

  /** Waits between half of {@code backoff} and all of it (jitter, so clients spread out). */
  private Duration pause(Duration backoff) {
    long nanos = backoff.toNanos();
    long until =
        System.nanoTime()
            + nanos / 2
            + java.util.concurrent.ThreadLocalRandom.current().nextLong(nanos / 2 + 1);
    try {
      while (!closed && System.nanoTime() < until) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
    Duration next = backoff.multipliedBy(2);
    return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
  }

  private void emit(ClientEvent event) {
    try {
      callback.accept(event);
    } catch (RuntimeException e) {
      log.warn("the event callback failed: {}", e.toString());
    }
  }

  /** Collects text frames (which may arrive in parts) and hands them over. */
  private static final class Forwarder implements WebSocket.Listener {
    private final BlockingQueue<Item> queue;
    private final StringBuilder partial = new StringBuilder();
    private volatile long lastHeard = System.nanoTime();
    private volatile long lastProbe = System.nanoTime();
    private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();
    private volatile RequestSocket requests;

    @Override
    public CompletionStage<?> onPong(WebSocket ws, java.nio.ByteBuffer message) {
      lastHeard = System.nanoTime();
      ws.request(1);
      return null;
    }

    Forwarder(BlockingQueue<Item> queue) {
      this.queue = queue;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket ws, java.nio.ByteBuffer message) {
      lastHeard = System.nanoTime(); // the pong is sent by the WebSocket implementation
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      lastHeard = System.nanoTime();
      partial.append(data);
      if (last) {
        queue.add(new Text(partial.toString()));
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    /**
     * Version 2: answers complete their requests here, on the socket's own thread, so that a send
     * waiting for its answer never waits for the processing thread; pushes go to the queue.
     */
    @Override
    public CompletionStage<?> onBinary(WebSocket ws, java.nio.ByteBuffer data, boolean last) {
      lastHeard = System.nanoTime();
      byte[] part = new byte[data.remaining()];
      data.get(part);
      binary.writeBytes(part);
      if (last) {
        byte[] message = binary.toByteArray();
        binary.reset();
        try {
          dispatch(BinaryFrames.decode(message));
        } catch (org.parley.protocol.cbor.CborException | IllegalArgumentException e) {
          log.warn("ignoring a frame this client cannot read: {}", e.getMessage());
        }
      }
      ws.request(1);
      return null;
    }

    private void dispatch(BinaryFrame frame) {
      switch (frame) {
        case BinaryFrame.Envelopes e ->
            e.envelopes().forEach(x -> queue.add(new Pushed(new ServerFrame.EnvelopeFrame(x))));
        case BinaryFrame.QueueEmpty q -> queue.add(new Pushed(new ServerFrame.QueueEmpty()));
        case BinaryFrame.DevicesChanged d ->
            queue.add(new Pushed(new ServerFrame.DevicesChanged(d.accountId())));
        case BinaryFrame.KeysLow k ->
            queue.add(new Pushed(new ServerFrame.KeysLow(k.preKeys(), k.kyberPreKeys())));
        case BinaryFrame.Sent s -> answer(frame);
        case BinaryFrame.Acked a -> answer(frame);
        case BinaryFrame.Refused r -> {
          if (!answer(frame)) {
            log.warn("the server refused a frame: {} {}", r.error().code(), r.error().message());
          }
        }
        case BinaryFrame.Send s -> log.warn("ignoring a request frame from the server");
        case BinaryFrame.Ack a -> log.warn("ignoring a request frame from the server");
      }
    }

    private boolean answer(BinaryFrame frame) {
      RequestSocket open = requests;
      return open != null && open.answer(frame);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      endRequests("closed (" + statusCode + ")");
      queue.add(new Closed(statusCode, reason == null ? "" : reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      endRequests(error.toString());
      queue.add(new Failed(error));
    }

    /** Sends waiting on this socket fail now (and go over HTTP), not at their timeout. */
    private void endRequests(String why) {
      RequestSocket open = requests;
      if (open != null) {
        open.closed(why);
      }
    }
  }
}
