package org.parley.cli;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;
import org.parley.server.config.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley server}: runs a complete server until interrupted, with the server's own options
 * ({@link ServerOptions}, the same as {@code parley-server}'s).
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a Parley server until interrupted (Ctrl-C).",
      "With no options: plain HTTP on 127.0.0.1:8080, handles @localhost, embedded SQLite under "
          + ServerOptions.DEFAULT_DATA_DIR
          + "."
    },
    footer = {
      "",
      "Examples:",
      "  parley server",
      "  parley server --port 9090 --data-dir /tmp/parley",
      "  parley server --host 0.0.0.0 --port 443 --domain chat.example.org \\",
      "      --tls-cert fullchain.pem --tls-key key.pem",
      "  parley server --config /etc/parley/server.conf",
      "  PARLEY_STORE_PASSWORD=... parley server --store postgres \\",
      "      --store-setting url=jdbc:postgresql://db/parley"
    })
final class ServerCommand implements Runnable {
  @ParentCommand Parley parley;

  @Mixin ServerOptions options = new ServerOptions();

  @Override
  public void run() {
    ServerConfig config;
    try {
      config = config(parley.env());
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
    Thread shutdown =
        new Thread(
            () -> {
              server.close();
              stopped.countDown();
            },
            "parley-server-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdown);
    Output out = parley.output();
    var json =
        new org.parley.cli.json.Serving(
            server.uri().toString(),
            config.domain(),
            config.store(),
            config.dataDir().toAbsolutePath().toString());
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
      // a program that runs the command in-process stops it by interrupting it: the server too
      try {
        Runtime.getRuntime().removeShutdownHook(shutdown);
      } catch (IllegalStateException shuttingDown) {
        // the hook closes it as well; closing twice does nothing
      }
      server.close();
      Thread.currentThread().interrupt();
    }
  }

  /** The configuration of these options, with {@code env} for the store's password. */
  ServerConfig config(Map<String, String> env) {
    return options.toConfig(env);
  }
}
