package org.parley.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley server}: runs a complete server until interrupted. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a Parley server until interrupted (Ctrl-C).",
      "With no options: plain HTTP on 127.0.0.1:8080, handles @localhost, embedded SQLite under"
          + " ~/.parley/server."
    },
    footer = {
      "",
      "Examples:",
      "  parley server",
      "  parley server --port 9090 --data-dir /tmp/parley",
      "  parley server --host 0.0.0.0 --port 443 --domain chat.example.org \\",
      "      --tls-cert fullchain.pem --tls-key key.pem",
      "  parley server --store postgres --store-setting url=jdbc:postgresql://db/parley"
    })
final class ServerCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where the server keeps its files (default: ~/.parley/server).")
  Path dataDir;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on; 0 picks a free one (default: 443 with TLS, else 8080).")
  Integer port;

  @Option(names = "--host", paramLabel = "ADDR", description = "Address to listen on (default: 127.0.0.1); other than loopback needs TLS.")
  String host;

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "The domain of this server's handles (default: localhost).")
  String domain;

  @Option(names = "--store", paramLabel = "NAME", description = "Storage backend: sqlite (default) or postgres.")
  String store;

  @Option(names = "--store-setting", paramLabel = "KEY=VALUE", description = "A storage backend setting; repeatable.")
  Map<String, String> storeSettings = new LinkedHashMap<>();

  @Option(names = "--limit", paramLabel = "NAME=N",
      description = "Sets a rate limit (e.g. sends-per-pair-per-minute=60); repeatable. The limits"
          + " and their defaults are in docs/spec/api.md, \"Rate limits\".")
  java.util.List<String> limits = new java.util.ArrayList<>();

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (PEM).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (PEM, PKCS#8).")
  Path tlsKey;

  @Override
  public void run() {
    ServerConfig config;
    try {
      config = config();
      config.validate();
    } catch (IllegalArgumentException e) {
      throw new Failures.UsageException(e.getMessage());
    }
    ParleyServer server;
    try {
      server = ParleyServer.start(config);
    } catch (RuntimeException e) {
      String why = String.valueOf(e.getMessage());
      String next =
          why.contains("bind") || why.contains("in use")
              ? "Is another server on that port? Pick one with --port"
              : "Check the options (parley server --help) and the data directory";
      throw new org.parley.client.ClientException(
          "cannot start the server: " + Failures.sentence(why) + " " + next, e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "parley-server-shutdown"));
    Output out = parley.output();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("url", server.uri().toString());
    json.put("domain", config.domain());
    json.put("store", config.store());
    json.put("dataDir", config.dataDir().toAbsolutePath().toString());
    out.result(
        "Parley server on "
            + server.uri()
            + " (handles @"
            + config.domain()
            + ", "
            + config.store()
            + " store, data in "
            + config.dataDir().toAbsolutePath()
            + "). Ctrl-C stops it.",
        json);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  ServerConfig config() {
    ServerConfig config =
        ServerConfig.defaults()
            .withDataDir(Path.of(System.getProperty("user.home")).resolve(".parley").resolve("server"));
    if (dataDir != null) {
      config = config.withDataDir(dataDir);
    }
    if (port != null) {
      config = config.withPort(port);
    } else if (tlsCert != null) {
      config = config.withPort(443); // HTTPS on its standard port unless told otherwise
    }
    if (host != null) {
      config = config.withHost(host);
    }
    if (domain != null) {
      config = config.withDomain(domain);
    }
    if (store != null) {
      config = config.withStore(store);
    }
    if (!storeSettings.isEmpty()) {
      config = config.withStoreSettings(storeSettings);
    }
    if (tlsCert != null || tlsKey != null) {
      config = config.withTls(tlsCert, tlsKey);
    }
    for (String limit : limits) {
      config = config.withLimits(config.limits().with(limit));
    }
    return config;
  }
}
