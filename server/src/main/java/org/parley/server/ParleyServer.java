package org.parley.server;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.protocol.Json;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.LocalBus;
import org.parley.server.delivery.WebSocketEndpoint;
import org.parley.server.http.Bodies;
import org.parley.server.http.ErrorMapping;
import org.parley.server.http.JsonErrorHandler;
import org.parley.server.kt.KtService;
import org.parley.server.kt.OperatorHook;
import org.parley.server.storage.PrivateFiles;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreProvider;
import org.parley.server.tls.PemKeyStore;
import org.parley.server.tls.TlsConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running Parley server: its store, its delivery bus and its HTTP + WebSocket listener. */
public final class ParleyServer implements AutoCloseable {
  public static final String VERSION = "0.1.0";
  private static final Logger LOG = LoggerFactory.getLogger(ParleyServer.class);

  private final ServerConfig config;
  private final Store store;
  private final DeliveryBus bus;
  private final WebSocketEndpoint webSocket;
  private final org.parley.server.kt.KtService kt;
  private final Javalin app;
  private final ScheduledExecutorService housekeeping;
  private final DataDirLock lock;
  private final URI uri;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final java.util.List<Route> routes;

  /**
   * One route the server answers: a method and a path pattern with Javalin's {@code {name}}
   * parameters, as docs/spec/openapi.yaml writes them.
   */
  public record Route(String method, String path) {}

  private ParleyServer(
      ServerConfig config,
      Store store,
      DeliveryBus bus,
      Api api,
      Javalin app,
      ScheduledExecutorService housekeeping,
      DataDirLock lock,
      java.util.List<Route> routes) {
    this.config = config;
    this.routes = java.util.List.copyOf(routes);
    this.lock = lock;
    this.store = store;
    this.bus = bus;
    this.webSocket = api.webSocket();
    this.kt = api.kt();
    this.app = app;
    this.housekeeping = housekeeping;
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    this.uri = URI.create((config.tls() ? "https" : "http") + "://" + host + ":" + app.port());
  }

  /**
   * Opens the configured store, starts listening and returns once the port is bound.
   *
   * @throws IllegalArgumentException if the configuration is unusable (message for the operator)
   */
  public static ParleyServer start(ServerConfig config) {
    config.validate();
    if (config.tls()) {
      // fail here, with the file named, rather than inside the web server's start
      PemKeyStore.load(config.tlsCertificate(), config.tlsPrivateKey(), "check".toCharArray());
    }
    PrivateFiles.directory(config.dataDir());
    DataDirLock lock = DataDirLock.acquire(config.dataDir());
    try {
      return start(config, lock);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private static ParleyServer start(ServerConfig config, DataDirLock lock) {
    // before anything opens: a production build has no hook to find, only test code has one
    OperatorHook hook =
        OperatorHook.load(
            config.kt().misbehaviour(), Thread.currentThread().getContextClassLoader());
    Thread.ofVirtual().name("libsignal-warmup").start(Api::warmUpCrypto);
    // Opening the store (schema migration) and building the web server are the slow parts of a
    // start: do them side by side.
    CompletableFuture<Store> opening =
        CompletableFuture.supplyAsync(() -> openStore(config), ParleyServer::startThread);
    Javalin app;
    java.util.List<Route> routes = new java.util.concurrent.CopyOnWriteArrayList<>();
    try {
      app =
          Javalin.create(
              c -> {
                configure(c, config);
                c.events(
                    events ->
                        events.handlerAdded(
                            h -> {
                              if (HTTP_METHODS.contains(h.getHttpMethod().name())) {
                                routes.add(new Route(h.getHttpMethod().name(), h.getPath()));
                              }
                            }));
              });
      ErrorMapping.install(app);
    } catch (RuntimeException e) {
      opening.thenAccept(Store::close);
      throw e;
    }
    Store store = join(opening);
    DeliveryBus bus = new LocalBus();
    ScheduledExecutorService housekeeping = null;
    try {
      Clock clock = Clock.systemUTC();
      KtService kt = KtService.open(config.dataDir(), store, clock, config.kt(), hook);
      var certificates = org.parley.server.sealed.SealedSenderKeys.load(config.dataDir());
      Api api = Api.create(config, store, bus, clock, kt, certificates, hook);
      api.install(app);
      app.start();
      housekeeping =
          Executors.newScheduledThreadPool(
              2, Thread.ofPlatform().daemon().name("parley-housekeeping-", 0).factory());
      housekeeping.scheduleWithFixedDelay(api::sweep, 1, 1, TimeUnit.MINUTES);
      long epoch = config.kt().epoch().toMillis();
      housekeeping.scheduleWithFixedDelay(api::publishKt, epoch, epoch, TimeUnit.MILLISECONDS);
      ParleyServer server =
          new ParleyServer(config, store, bus, api, app, housekeeping, lock, routes);
      server.writePortFile();
      LOG.info(
          "Parley server listening on {} (domain {}, store {})",
          server.uri,
          config.domain(),
          config.store());
      LOG.info("configuration: {}", config); // secrets print as ***
      // what people should be given, so that no one can show their devices another log
      LOG.info(
          "key-transparency log kt={}; publish it, and give people the address {}#kt={}",
          kt.configurationHash(),
          server.uri,
          kt.configurationHash());
      return server;
    } catch (RuntimeException e) {
      if (housekeeping != null) {
        housekeeping.shutdownNow();
      }
      app.stop();
      bus.close();
      store.close();
      throw e;
    }
  }

  private static void startThread(Runnable work) {
    Thread.ofPlatform().name("parley-store-open").start(work);
  }

  private static Store join(CompletableFuture<Store> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  private static void configure(io.javalin.config.JavalinConfig c, ServerConfig config) {
    c.showJavalinBanner = false;
    c.startupWatcherEnabled = false;
    c.http.maxRequestSize = Bodies.MAX_BODY;
    c.http.prefer405over404 = true;
    c.jsonMapper(new JavalinJackson(Json.mapper(), false));
    c.jetty.defaultHost = config.host();
    c.jetty.defaultPort = config.port();
    c.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
    c.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new JsonErrorHandler()));
    c.jetty.modifyWebSocketServletFactory(
        f -> {
          f.setIdleTimeout(Duration.ofMinutes(2));
          f.setMaxTextMessageSize(64 * 1024);
          f.setMaxBinaryMessageSize(Bodies.MAX_BODY); // version 2 carries sends: the body limit
        });
    if (config.tls()) {
      c.jetty.addConnector(
          (server, http) ->
              TlsConnector.create(
                  server,
                  http,
                  config.tlsCertificate(),
                  config.tlsPrivateKey(),
                  config.host(),
                  config.port()));
    }
  }

  private static Store openStore(ServerConfig config) {
    return StoreProvider.named(config.store()).open(config.effectiveStoreSettings());
  }

  /**
   * Every HTTP route this server registered, in registration order: what the OpenAPI description
   * (docs/spec/openapi.yaml) must cover, no more and no less.
   */
  public java.util.List<Route> routes() {
    return routes;
  }

  private static final java.util.Set<String> HTTP_METHODS =
      java.util.Set.of("GET", "POST", "PUT", "DELETE", "PATCH");

  /** The store (tests of this package look at what it keeps). */
  Store store() {
    return store;
  }

  /** The key-transparency log this server publishes. */
  public org.parley.server.kt.KtService keyTransparency() {
    return kt;
  }

  /** The port the server listens on (the bound one when configured with 0). */
  public int port() {
    return app.port();
  }

  /** The base URI, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return uri;
  }

  public ServerConfig config() {
    return config;
  }

  private Path portFile() {
    return config.dataDir().resolve("server.port");
  }

  private void writePortFile() {
    try {
      Path tmp = config.dataDir().resolve("server.port.tmp");
      PrivateFiles.file(tmp);
      Files.writeString(tmp, port() + "\n", StandardCharsets.US_ASCII);
      Files.move(
          tmp, portFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + portFile(), e);
    }
  }

  /** Stops listening, closes every WebSocket and the store. Closing twice does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    housekeeping.shutdownNow();
    webSocket.close();
    app.stop();
    bus.close();
    store.close();
    try {
      Files.deleteIfExists(portFile());
    } catch (IOException e) {
      LOG.debug("cannot delete {}", portFile(), e);
    }
    lock.close(); // last: the directory is free only once everything above let go of it
  }
}
