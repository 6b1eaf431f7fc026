package org.parley.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs a server from the command line until the process is stopped:
 * {@code --data-dir DIR --port N --host ADDR --domain D --store NAME --store-setting k=v
 * --tls-cert PEM --tls-key PEM}. Bad arguments print one line to stderr and exit with 2.
 */
public final class ServerMain {
  private static final String USAGE =
      "usage: parley-server [--data-dir DIR] [--port N] [--host ADDR] [--domain D] [--store sqlite|postgres]"
          + " [--store-setting KEY=VALUE]... [--tls-cert PEM --tls-key PEM] [--kt-epoch DURATION]"
          + " [--kt-heartbeat DURATION] [--kt-monitoring-window DURATION] [--kt-max-behind DURATION]"
          + " [--limit NAME=N]... (limits: docs/spec/api.md, \"Rate limits\")";

  private ServerMain() {}

  public static void main(String[] args) {
    ServerConfig config;
    try {
      config = parse(List.of(args));
      config.validate();
    } catch (IllegalArgumentException e) {
      System.err.println("parley-server: " + e.getMessage());
      System.exit(2);
      return;
    }
    ParleyServer server;
    try {
      server = ParleyServer.start(config);
    } catch (RuntimeException e) {
      System.err.println("parley-server: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "parley-shutdown"));
  }

  /** Parses arguments; accepts "--name value" and "--name=value". */
  static ServerConfig parse(List<String> args) {
    ServerConfig config = ServerConfig.defaults();
    Path cert = null;
    Path key = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException(known(name) ? name + " needs a value" : "unknown option " + name);
      }
      switch (name) {
        case "--data-dir" -> config = config.withDataDir(Path.of(value));
        case "--port" -> config = config.withPort(integer(name, value));
        case "--host" -> config = config.withHost(value);
        case "--domain" -> config = config.withDomain(value);
        case "--store" -> config = config.withStore(value);
        case "--store-setting" -> {
          int sep = value.indexOf('=');
          if (sep <= 0) {
            throw new IllegalArgumentException("--store-setting takes key=value: " + value);
          }
          config = config.withStoreSetting(value.substring(0, sep), value.substring(sep + 1));
        }
        case "--kt-epoch" -> {
          java.time.Duration epoch = duration(name, value);
          if (epoch.compareTo(org.parley.server.kt.KtSettings.MIN_EPOCH) < 0
              || epoch.compareTo(org.parley.server.kt.KtSettings.MAX_EPOCH) > 0) {
            throw new IllegalArgumentException("the epoch must be between 50 ms and 60 s: clients"
                + " wait for at most that");
          }
          config = config.withKt(config.kt().withEpoch(epoch, config.kt().heartbeat()));
        }
        case "--kt-heartbeat" -> config = config.withKt(
            config.kt().withEpoch(config.kt().epoch(), duration(name, value)));
        case "--kt-monitoring-window" -> config = config.withKt(
            config.kt().withMonitoringWindow(duration(name, value)));
        case "--kt-max-behind" -> config = config.withKt(
            config.kt().withMaxBehind(duration(name, value)));
        case "--kt-test-misbehaviour" -> config = config.withKt(
            config.kt().withMisbehaviour(Boolean.parseBoolean(value)));
        case "--limit" -> config = config.withLimits(config.limits().with(value));
        case "--tls-cert" -> cert = Path.of(value);
        case "--tls-key" -> key = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return config.withTls(cert, key);
  }

  private static boolean known(String name) {
    return List.of("--data-dir", "--port", "--host", "--domain", "--store", "--store-setting", "--tls-cert", "--tls-key",
            "--kt-epoch", "--kt-heartbeat", "--kt-monitoring-window", "--kt-max-behind", "--kt-test-misbehaviour",
            "--limit")
        .contains(name);
  }

  /** A duration as ISO-8601 ({@code PT2S}) or a number with ms, s, m or h ({@code 500ms}). */
  static java.time.Duration duration(String name, String value) {
    try {
      if (value.startsWith("P") || value.startsWith("p")) {
        return java.time.Duration.parse(value);
      }
      var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> java.time.Duration.ofMillis(n);
          case "s" -> java.time.Duration.ofSeconds(n);
          case "m" -> java.time.Duration.ofMinutes(n);
          default -> java.time.Duration.ofHours(n);
        };
      }
    } catch (RuntimeException e) {
      // fall through to the message below
    }
    throw new IllegalArgumentException(name + " takes a duration such as 500ms, 2s, 1h or PT2S: "
        + value);
  }

  private static int integer(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes an integer: " + value);
    }
  }
}
