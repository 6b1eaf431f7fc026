package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.BinaryFrames;

/**
 * A device's version 2 WebSocket in tests: decodes binary frames, keeps text and the close code.
 */
final class BinaryWsClient implements WebSocket.Listener, AutoCloseable {
  final BlockingQueue<BinaryFrame> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  WebSocket socket;

  /** Opens a socket offering {@code protocols} (comma-separated, as the header carries them). */
  static BinaryWsClient connect(TestServer server, Credentials credentials, String protocols) {
    BinaryWsClient client = new BinaryWsClient();
    URI ws = URI.create(server.uri("/v1/websocket").toString().replaceFirst("^http", "ws"));
    String[] offered = protocols.split(",\\s*");
    String[] more = java.util.Arrays.copyOfRange(offered, 1, offered.length);
    HttpClient.newHttpClient()
        .newWebSocketBuilder()
        .header("Authorization", credentials.authorizationHeader())
        .subprotocols(offered[0], more)
        .buildAsync(ws, client)
        .join();
    return client;
  }

  /** The version the server chose: its answer's Sec-WebSocket-Protocol, empty if none. */
  Optional<String> chosen() {
    String protocol = socket.getSubprotocol();
    return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    this.socket = webSocket;
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    partial.writeBytes(chunk);
    if (last) {
      try {
        frames.add(BinaryFrames.decode(partial.toByteArray()));
      } catch (Exception e) {
        closeCode.completeExceptionally(e); // the server sent a frame the spec does not allow
      }
      partial.reset();
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    closeCode.completeExceptionally(new AssertionError("a text frame on version 2: " + data));
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

  void send(BinaryFrame frame) {
    sendRaw(BinaryFrames.encode(frame));
  }

  void sendRaw(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next frame within 10 s. */
  BinaryFrame next() throws Exception {
    BinaryFrame frame = frames.poll(10, TimeUnit.SECONDS);
    assertThat(frame).as("a frame within 10 s").isNotNull();
    return frame;
  }

  /** The next frame, which must be of {@code type}. */
  <T extends BinaryFrame> T next(Class<T> type) throws Exception {
    BinaryFrame frame = next();
    assertThat(frame).isInstanceOf(type);
    return type.cast(frame);
  }

  void assertQuiet(long millis) throws Exception {
    assertThat(frames.poll(millis, TimeUnit.MILLISECONDS)).isNull();
  }

  int awaitClose() throws Exception {
    return closeCode.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (socket != null && !socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
  }
}
