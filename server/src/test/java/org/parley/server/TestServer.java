package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkCreated;
import org.parley.protocol.link.LinkRequest;

/**
 * A real server on an ephemeral port with a data directory in a temp dir, on the real database
 * {@link TestStore} picks, and a client.
 */
final class TestServer implements AutoCloseable {
  static final String DOMAIN = "parley.test";
  private static final AtomicInteger NAMES = new AtomicInteger();

  final Path dir;
  final ParleyServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Path dir, ParleyServer server) {
    this.dir = dir;
    this.server = server;
  }

  static TestServer start() {
    return start(c -> c);
  }

  static TestServer start(UnaryOperator<ServerConfig> customize) {
    try {
      Path dir = Files.createTempDirectory("parley-server-it");
      ServerConfig config =
          customize.apply(
              TestStore.configure(
                  ServerConfig.defaults().withDomain(DOMAIN).withPort(0).withDataDir(dir)));
      return new TestServer(dir, ParleyServer.start(config));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Stops the server and starts another on the same data directory and database, as an operator's
   * restart does; this instance must not be used afterwards.
   */
  TestServer restarted() {
    server.close();
    http.close();
    return new TestServer(dir, ParleyServer.start(server.config()));
  }

  URI uri(String path) {
    return server.uri().resolve(path);
  }

  Response request(String method, String path, String body, Credentials credentials) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    if (credentials != null) {
      builder.header("Authorization", credentials.authorizationHeader());
    }
    return send(builder.build());
  }

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  Response get(String path, Credentials credentials) {
    return request("GET", path, null, credentials);
  }

  Response post(String path, Object body, Credentials credentials) {
    return request("POST", path, json(body), credentials);
  }

  Response put(String path, Object body, Credentials credentials) {
    return request("PUT", path, json(body), credentials);
  }

  Response delete(String path, Credentials credentials) {
    return request("DELETE", path, null, credentials);
  }

  private static String json(Object body) {
    return body instanceof String s ? s : Json.writeString(body);
  }

  static String uniqueName(String prefix) {
    return prefix + NAMES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
  }

  static Handle handle(String name) {
    return Handle.of(name + "@" + DOMAIN);
  }

  /** Registers a new account (fresh handle) with its device 1. */
  TestDevice register(int preKeys, int kyberPreKeys) {
    TestDevice device = new TestDevice();
    var request =
        device.registration(
            handle(uniqueName("user")), "phone", device.keys(preKeys, kyberPreKeys));
    Response r = post("/v1/accounts", request, null);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    RegisterResponse registered = r.as(RegisterResponse.class);
    device.accountId = registered.accountId();
    device.handle = registered.handle();
    device.deviceId = registered.deviceId();
    return device;
  }

  TestDevice register() {
    return register(2, 2);
  }

  /** Links a new device to {@code existing}'s account through the real link flow. */
  TestDevice link(TestDevice existing) {
    TestDevice device = new TestDevice();
    Response created =
        post("/v1/links", new LinkRequest(device.password, "laptop", device.keys(2, 2)), null);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    LinkCode code = created.as(LinkCreated.class).code();
    Response approved =
        post(
            "/v1/links/" + code + "/approve",
            existing.linkApproval(code, device.identityKey()),
            existing.credentials());
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    Response accepted =
        post(
            "/v1/links/" + code + "/accept",
            new org.parley.protocol.link.LinkPollRequest(device.password),
            null);
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
    device.accountId = existing.accountId;
    device.handle = existing.handle;
    device.deviceId = DeviceId.of(accepted.json().path("deviceId").asInt());
    return device;
  }

  WsClient connect(Credentials credentials) {
    WsClient client = new WsClient();
    URI ws = URI.create(server.uri().toString().replaceFirst("^http", "ws") + "/v1/websocket");
    try {
      http.newWebSocketBuilder()
          .header("Authorization", credentials.authorizationHeader())
          .buildAsync(ws, client)
          .join();
    } catch (CompletionException e) {
      throw e;
    }
    return client;
  }

  /** The HTTP status of a refused WebSocket upgrade (fails if the upgrade succeeds). */
  int upgradeStatus(Credentials credentials) {
    try {
      connect(credentials).close();
    } catch (CompletionException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof java.net.http.WebSocketHandshakeException h) {
          return h.getResponse().statusCode();
        }
      }
      throw e;
    }
    throw new AssertionError("the upgrade succeeded");
  }

  @Override
  public void close() {
    server.close();
    http.close();
    TestStore.cleanUp(server.config());
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp dir left behind is harmless
    }
  }
}
