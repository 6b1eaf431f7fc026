package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.protocol.Json;

/** A device's WebSocket in tests: collects text frames and the close code. */
final class WsClient implements WebSocket.Listener, AutoCloseable {
  final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final StringBuilder partial = new StringBuilder();
  WebSocket socket;

  @Override
  public void onOpen(WebSocket webSocket) {
    this.socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    partial.append(data);
    if (last) {
      frames.add(partial.toString());
      partial.setLength(0);
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.completeExceptionally(error);
  }

  /** The next frame within 5 s, as JSON. */
  JsonNode next() throws Exception {
    String frame = frames.poll(5, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within 5 s").isNotNull();
    return Json.mapper().readTree(frame);
  }

  /** The next frame, asserting its type. */
  JsonNode next(String type) throws Exception {
    JsonNode frame = next();
    assertThat(frame.path("type").asText()).as("frame " + frame).isEqualTo(type);
    return frame;
  }

  /** Asserts no frame arrives within {@code millis}. */
  void assertQuiet(long millis) throws Exception {
    assertThat(frames.poll(millis, TimeUnit.MILLISECONDS)).isNull();
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  void sendJson(Object frame) {
    send(Json.writeString(frame));
  }

  int awaitClose() throws Exception {
    return closeCode.get(5, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }
}
