package org.parley.bench.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * An HTTP relay between the measured client and the server that counts the requests it forwards, by
 * method and path shape. The client is registered at the relay's address, so every request of its
 * own goes through it, while the wire stays exactly what the client and server speak: nothing in
 * the client or server knows it is counted. HTTP/1.1 only, as the API (docs/spec/api.md); WebSocket
 * upgrades are not relayed (the measured sends use none).
 */
final class CountingProxy implements AutoCloseable {
  /** Headers that belong to one hop, or that java.net.http sets itself. */
  private static final Set<String> HOP_HEADERS =
      Set.of(
          "connection",
          "content-length",
          "expect",
          "host",
          "keep-alive",
          "transfer-encoding",
          "upgrade",
          "http2-settings");

  private final HttpServer server;
  private final ExecutorService executor;
  private final HttpClient http;
  private final URI target;
  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  private CountingProxy(HttpServer server, ExecutorService executor, URI target) {
    this.server = server;
    this.executor = executor;
    this.target = target;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Starts a relay on a free loopback port that forwards to {@code target}. */
  static CountingProxy start(URI target) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ExecutorService executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    CountingProxy proxy = new CountingProxy(server, executor, target);
    server.createContext("/", proxy::forward);
    server.start();
    return proxy;
  }

  /** The address to give the client instead of the server's. */
  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** All requests forwarded so far. */
  long total() {
    return counts.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** The requests forwarded so far, by "METHOD /path/shape". */
  Map<String, Long> byEndpoint() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String method = exchange.getRequestMethod();
      counts
          .computeIfAbsent(method + " " + shape(uri.getRawPath()), k -> new LongAdder())
          .increment();
      byte[] body = exchange.getRequestBody().readAllBytes();
      String pathAndQuery =
          uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
      HttpRequest.Builder request =
          HttpRequest.newBuilder(target.resolve(pathAndQuery))
              .timeout(Duration.ofSeconds(60))
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
                  values.forEach(v -> request.header(name, v));
                }
              });
      HttpResponse<byte[]> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      } catch (IOException e) {
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response
          .headers()
          .map()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                  exchange.getResponseHeaders().put(name, values);
                }
              });
      byte[] answer = response.body();
      boolean empty = answer.length == 0 || method.equals("HEAD");
      exchange.sendResponseHeaders(response.statusCode(), empty ? -1 : answer.length);
      if (!empty) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  /**
   * The path with its variable segments (ids, handles, keys) as {@code {}}: a segment of lower-case
   * letters and dashes is a word of the API, anything else is a value.
   */
  static String shape(String path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/")) {
      if (segment.isEmpty()) {
        continue;
      }
      out.append('/')
          .append(segment.equals("v1") || segment.matches("[a-z][a-z_-]{0,30}") ? segment : "{}");
    }
    return out.isEmpty() ? "/" : out.toString();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    http.close();
  }
}
