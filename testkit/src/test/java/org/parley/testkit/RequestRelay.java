package org.parley.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP relay in front of a real server: a client registered at its address makes every request
 * through it. It records each request (method, path, the server's status), and test code may
 * rewrite request and response bodies on the way, so that the client meets a server that lies about
 * device lists or accepts what the real one would refuse. HTTP/1.1 only: WebSocket upgrades are not
 * relayed.
 */
final class RequestRelay implements AutoCloseable {
  /** One relayed request. */
  record Exchange(String method, String path, int status) {
    @Override
    public String toString() {
      return method + " " + path + " " + status;
    }
  }

  /** Rewrites one body; {@code path} is the request's path. Returns the body to pass on. */
  @FunctionalInterface
  interface Rewrite {
    byte[] apply(String method, String path, byte[] body);
  }

  private static final Set<String> HOP_HEADERS =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "keep-alive",
          "transfer-encoding",
          "upgrade");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI target;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private volatile Rewrite requests = (m, p, b) -> b;
  private volatile Rewrite responses = (m, p, b) -> b;
  private volatile Answer once;

  /** An answer the relay gives itself, instead of the server's. */
  record Answer(String method, String path, int status, String json) {}

  RequestRelay(URI target) {
    this.target = target;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::relay);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The requests relayed since the last {@link #clear()}, in order. */
  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  void clear() {
    exchanges.clear();
  }

  /** The next request to {@code method path} is answered so, and not passed on. */
  void answerOnce(Answer answer) {
    this.once = answer;
  }

  void rewriteRequests(Rewrite rewrite) {
    this.requests = rewrite;
  }

  void rewriteResponses(Rewrite rewrite) {
    this.responses = rewrite;
  }

  private void relay(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      String query = exchange.getRequestURI().getRawQuery();
      byte[] body = requests.apply(method, path, exchange.getRequestBody().readAllBytes());
      Answer own = once;
      if (own != null && own.method().equals(method) && own.path().equals(path)) {
        once = null;
        exchanges.add(new Exchange(method, path, own.status()));
        byte[] out = own.json().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(own.status(), out.length);
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(out);
        }
        return;
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(URI.create(target + path + (query == null ? "" : "?" + query)))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body.length == 0
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofByteArray(body));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                  values.forEach(v -> forward.header(name, v));
                }
              });
      HttpResponse<byte[]> answer;
      try {
        answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      exchanges.add(new Exchange(method, path, answer.statusCode()));
      byte[] out = responses.apply(method, path, answer.body());
      answer
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))
                    && !name.startsWith(":")) {
                  values.forEach(v -> exchange.getResponseHeaders().add(name, v));
                }
              });
      boolean empty = out.length == 0;
      exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : out.length);
      if (!empty) {
        try (OutputStream o = exchange.getResponseBody()) {
          o.write(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    http.close();
  }
}
