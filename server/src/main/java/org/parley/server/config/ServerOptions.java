package org.parley.server.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.server.ServerConfig;
import org.parley.server.kt.KtSettings;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * The server's options, defined once: {@code parley-server} (ServerMain) and {@code parley server}
 * both mix them in (picocli {@code @Mixin}), and a configuration file ({@code --config}) sets the
 * same ones. Every field is null (or empty) when not given, so that a file's value shows through
 * where the command line gives none; the defaults are applied in {@link #toConfig}.
 */
public final class ServerOptions {
  /** Where the server keeps its data when neither the command line nor a file says. */
  public static final String DEFAULT_DATA_DIR = "~/.parley/server";

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description =
          "Read settings from FILE, one 'key = value' a line (port = 8443,"
              + " store-setting.url = ..., limit.NAME = N); options given here override it."
              + " See docs/operations.md.")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the server keeps its files (default: " + DEFAULT_DATA_DIR + ").")
  Path dataDir;

  @Option(
      names = "--port",
      paramLabel = "N",
      description = "Port to listen on; 0 picks a free one (default: 443 with TLS, else 8080).")
  Integer port;

  @Option(
      names = "--host",
      paramLabel = "ADDR",
      description = "Address to listen on (default: 127.0.0.1); other than loopback needs TLS.")
  String host;

  @Option(
      names = "--domain",
      paramLabel = "DOMAIN",
      description = "The domain of this server's handles (default: localhost).")
  String domain;

  @Option(
      names = "--store",
      paramLabel = "NAME",
      description = "Storage backend: sqlite (default) or postgres.")
  String store;

  @Option(
      names = "--store-setting",
      paramLabel = "KEY=VALUE",
      description = {
        "A storage backend setting; repeatable. sqlite: path (default: DIR/parley.db)."
            + " postgres: url, user, schema, poolSize, password-file=FILE (owner-only).",
        "The password is never an option (ps would show it): $"
            + StoreSecrets.PASSWORD_ENV
            + ", password-file, or an owner-only --config file."
      })
  Map<String, String> storeSettings = new LinkedHashMap<>();

  @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (PEM).")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (PEM, PKCS#8).")
  Path tlsKey;

  @Option(
      names = "--durability",
      paramLabel = "MODE",
      description = {
        "What an acknowledged message survives: process (default: the server process being"
            + " killed) or power-loss (also an operating-system crash or power loss: SQLite"
            + " syncs every group commit to disk before answering).",
        "PostgreSQL syncs its WAL at every commit in both modes."
      })
  String durability;

  @Option(
      names = "--kt-epoch",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How often the key-transparency log publishes pending changes, 50ms to 60s"
              + " (default: 2s).")
  Duration ktEpoch;

  @Option(
      names = "--kt-heartbeat",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "The longest time without a log entry; an empty one is published then"
              + " (default: 1m).")
  Duration ktHeartbeat;

  @Option(
      names = "--kt-monitoring-window",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "The log's monitoring window (default: 1h).")
  Duration ktMonitoringWindow;

  @Option(
      names = "--kt-max-behind",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "How far behind a client's clock the newest entry may be; more than the"
              + " heartbeat plus one epoch (default: 10m).")
  Duration ktMaxBehind;

  // Test-only (refused without -Dparley.test=true); issue 8 item 20 moves it into test code.
  @Option(names = "--kt-test-misbehaviour", paramLabel = "BOOLEAN", arity = "1", hidden = true)
  Boolean ktTestMisbehaviour;

  @Option(
      names = "--limit",
      paramLabel = "NAME=N",
      description =
          "Sets a rate limit (e.g. sends-per-pair-per-minute=60); repeatable. The limits"
              + " and their defaults are in docs/spec/api.md, \"Rate limits\".")
  List<String> limits = new ArrayList<>();

  /**
   * The configuration these options describe: the file's settings (if {@code --config}), those of
   * the command line over them, the defaults for the rest, and the store's secrets from {@code env}
   * or their files.
   *
   * @throws IllegalArgumentException with a message for the operator
   */
  public ServerConfig toConfig(Map<String, String> env) {
    // only the command line's own settings: a secret in an owner-only file is fine
    StoreSecrets.refuseOnArgv(storeSettings);
    ServerOptions all = config == null ? this : ConfigFile.read(config).overriddenBy(this);
    return all.build(env);
  }

  private ServerConfig build(Map<String, String> env) {
    ServerConfig c =
        ServerConfig.defaults()
            .withDataDir(
                dataDir != null
                    ? dataDir
                    : Path.of(System.getProperty("user.home"), ".parley", "server"));
    boolean tls = tlsCert != null || tlsKey != null;
    c = c.withPort(port != null ? port : tls ? 443 : 8080); // HTTPS on its standard port
    if (host != null) {
      c = c.withHost(host);
    }
    if (domain != null) {
      c = c.withDomain(domain);
    }
    if (store != null) {
      c = c.withStore(store);
    }
    c = c.withStoreSettings(StoreSecrets.resolve(storeSettings, env)).withTls(tlsCert, tlsKey);
    if (durability != null) {
      if (!durability.equals("process") && !durability.equals("power-loss")) {
        throw new IllegalArgumentException(
            "--durability is process or power-loss, not '" + durability + "'");
      }
      c = c.withStoreSetting("durability", durability);
    }
    for (String limit : limits) {
      c = c.withLimits(c.limits().with(limit));
    }
    return c.withKt(kt());
  }

  /** All key-transparency settings at once, so that their order on the line does not matter. */
  private KtSettings kt() {
    KtSettings d = KtSettings.defaults();
    if (ktEpoch != null
        && (ktEpoch.compareTo(KtSettings.MIN_EPOCH) < 0
            || ktEpoch.compareTo(KtSettings.MAX_EPOCH) > 0)) {
      throw new IllegalArgumentException(
          "the epoch must be between 50 ms and 60 s: clients wait for at most that");
    }
    return new KtSettings(
        Optional.ofNullable(ktEpoch).orElse(d.epoch()),
        Optional.ofNullable(ktHeartbeat).orElse(d.heartbeat()),
        Optional.ofNullable(ktMonitoringWindow).orElse(d.monitoringWindow()),
        d.maxAhead(),
        Optional.ofNullable(ktMaxBehind).orElse(d.maxBehind()),
        d.maximumLifetime(),
        Boolean.TRUE.equals(ktTestMisbehaviour));
  }

  /**
   * These options with {@code later}'s given ones on top: a value given in both is {@code later}'s;
   * store settings and limits add up, {@code later}'s last. Done over picocli's model of the
   * options, so that an option added above needs nothing here.
   */
  ServerOptions overriddenBy(ServerOptions later) {
    ServerOptions merged = new ServerOptions();
    CommandSpec target = CommandSpec.forAnnotatedObject(merged);
    for (ServerOptions source : List.of(this, later)) {
      for (OptionSpec option : CommandSpec.forAnnotatedObject(source).options()) {
        OptionSpec into = target.findOption(option.longestName());
        Object value = option.getValue();
        if (value instanceof Map<?, ?> map) {
          Map<Object, Object> to = into.getValue();
          to.putAll(map);
        } else if (value instanceof List<?> list) {
          List<Object> to = into.getValue();
          to.addAll(list);
        } else if (value != null) {
          into.setValue(value);
        }
      }
    }
    return merged;
  }
}
