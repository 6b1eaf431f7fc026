package org.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.message.EnvelopeType;
import org.parley.protocol.message.OutgoingMessage;
import org.parley.protocol.message.SendRequest;

/**
 * A Parley server, driven through its public API as a client would: each pair is a sender account
 * that sends to a receiver account whose only device reads its WebSocket (protocol version 2). The
 * sender sends either {@code send} frames on its own version 2 WebSocket ({@link Transport#SOCKET})
 * or one {@code PUT /v1/messages/{accountId}} per message ({@link Transport#HTTP}). The 512-byte
 * body goes in as the envelope content, unencrypted: the server never looks inside, so encryption
 * cost belongs to the clients, not to the relay measured here.
 */
final class ParleyTarget implements Target {
  /** How senders send. */
  enum Transport {
    HTTP,
    SOCKET
  }

  private final String store;
  private final Transport transport;
  private final int window;
  private final URI base;
  private final long serverPid; // -1 when unknown
  private final int ackBatch;
  private final PostgresBackendCpu databaseCpu; // null: the store is in the server's process
  private final String handlePrefix;
  private final HttpClient http;
  private final ScheduledExecutorService timer;
  private final List<ParleyAccount> senders = new ArrayList<>();
  private final List<ParleyAccount> receivers = new ArrayList<>();
  private final List<ReceiverSocket> sockets = new ArrayList<>();
  private final List<SenderSocket> senderSockets = new ArrayList<>();
  private String domain;

  /**
   * @param databaseCpu the database processes that work for the server, or null if there are none
   */
  ParleyTarget(
      String store,
      Transport transport,
      URI base,
      long serverPid,
      PostgresBackendCpu databaseCpu,
      int window,
      int ackBatch) {
    this.store = store;
    this.databaseCpu = databaseCpu;
    this.transport = transport;
    this.window = window;
    this.base = base;
    this.serverPid = serverPid;
    this.ackBatch = ackBatch;
    byte[] tag = new byte[4];
    new SecureRandom().nextBytes(tag);
    this.handlePrefix = "b" + HexFormat.of().formatHex(tag);
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("ack-timer").unstarted(r));
  }

  @Override
  public String system() {
    return "parley";
  }

  @Override
  public String store() {
    return store + (transport == Transport.HTTP ? " http" : "");
  }

  @Override
  public void connect(int pairs, ReceiptSink sink) throws Exception {
    ensureAccounts(pairs);
    URI websocket =
        URI.create(base.toString().replaceFirst("^http", "ws")).resolve("/v1/websocket");
    for (int i = 0; i < pairs; i++) {
      sockets.add(
          ReceiverSocket.open(websocket, receivers.get(i).authorization(), sink, ackBatch, timer));
      if (transport == Transport.SOCKET) {
        ParleyAccount to = receivers.get(i);
        SenderSocket socket =
            new SenderSocket(to.credentials().accountId(), to.registrationId(), window);
        socket.open(websocket, senders.get(i).authorization());
        senderSockets.add(socket);
      }
    }
  }

  /** Registers sender and receiver accounts up to the given number of pairs; kept across runs. */
  private void ensureAccounts(int pairs) throws IOException, InterruptedException {
    if (domain == null) {
      HttpResponse<String> server =
          http.send(
              HttpRequest.newBuilder(base.resolve("/v1/server")).build(),
              HttpResponse.BodyHandlers.ofString());
      domain = Json.mapper().readTree(server.body()).get("domain").asText();
    }
    for (int i = senders.size(); i < pairs; i++) {
      senders.add(
          ParleyAccount.register(http, base, Handle.of(handlePrefix + "s" + i + "@" + domain)));
      receivers.add(
          ParleyAccount.register(http, base, Handle.of(handlePrefix + "r" + i + "@" + domain)));
    }
  }

  @Override
  public CompletableFuture<?> send(int pair, Payload payload) {
    if (transport == Transport.SOCKET) {
      return senderSockets.get(pair).send(payload);
    }
    byte[] body = payload.encode();
    ParleyAccount to = receivers.get(pair);
    SendRequest send =
        new SendRequest(
            List.of(
                new OutgoingMessage(
                    DeviceId.of(1), to.registrationId(), EnvelopeType.MESSAGE, body)),
            System.currentTimeMillis());
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve("/v1/messages/" + to.credentials().accountId()))
            .header("Authorization", senders.get(pair).authorization())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .PUT(HttpRequest.BodyPublishers.ofByteArray(Json.write(send)))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              if (response.statusCode() != 200) {
                throw new IllegalStateException(
                    "HTTP " + response.statusCode() + " " + response.body());
              }
              return response;
            });
  }

  @Override
  public void drain(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ReceiverSocket socket : sockets) {
      socket.drain(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
  }

  @Override
  public String problems() {
    long errors = 0;
    String first = null;
    for (ParleySocket socket : allSockets()) {
      errors += socket.errors();
      if (first == null && socket.problem() != null) {
        first = socket.problem();
      }
    }
    return first == null ? null : errors + " socket errors, first: " + first;
  }

  @Override
  public void disconnect() {
    allSockets().forEach(ParleySocket::close);
    sockets.clear();
    senderSockets.clear();
  }

  private List<ParleySocket> allSockets() {
    List<ParleySocket> all = new ArrayList<>(sockets);
    all.addAll(senderSockets);
    return all;
  }

  @Override
  public OptionalLong serverCpuNanos() {
    OptionalLong jvm = serverPid > 0 ? ProcessCpu.nanos(serverPid) : OptionalLong.empty();
    if (databaseCpu == null || jvm.isEmpty()) {
      return jvm;
    }
    OptionalLong database = databaseCpu.nanos();
    return database.isPresent()
        ? OptionalLong.of(jvm.getAsLong() + database.getAsLong())
        : OptionalLong.empty();
  }

  @Override
  public void close() {
    disconnect();
    timer.shutdownNow();
    http.close();
  }
}
