package org.parley.server;

import java.util.List;
import java.util.Map;
import org.parley.server.config.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code parley-server}: runs a server until the process is stopped, with the options of {@code
 * parley server} ({@link ServerOptions}). Bad arguments print one line to stderr and exit with 2; a
 * server that cannot start exits with 1.
 */
@Command(
    name = "parley-server",
    mixinStandardHelpOptions = true,
    version = "parley-server " + ParleyServer.VERSION,
    description = {
      "Runs a Parley server until the process is stopped (the same options as parley server).",
      "With no options: plain HTTP on 127.0.0.1:8080, handles @localhost, embedded SQLite under "
          + ServerOptions.DEFAULT_DATA_DIR
          + "."
    },
    footer = {
      "",
      "Examples:",
      "  parley-server --data-dir /var/lib/parley --port 8080",
      "  parley-server --config /etc/parley/server.conf --port 8443",
      "  PARLEY_STORE_PASSWORD=... parley-server --store postgres \\",
      "      --store-setting url=jdbc:postgresql://db/parley --store-setting user=parley",
      "  parley-server --store postgres --store-setting password-file=/run/secrets/db-password",
      "",
      "parley-server stands for: java -cp CLASSPATH org.parley.server.ServerMain."
    })
public final class ServerMain {
  @Mixin ServerOptions options = new ServerOptions();

  private ServerMain() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new ServerMain());
    ServerConfig config;
    try {
      if (helpRequested(cli, args)) {
        return;
      }
      config = ((ServerMain) cli.getCommand()).options.toConfig(System.getenv());
      config.validate();
    } catch (CommandLine.ParameterException | IllegalArgumentException e) {
      // one line, whatever the message: scripts and tests read the first line of stderr
      System.err.println(
          "parley-server: " + String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " "));
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

  /** Parses the arguments; prints the help or version and says so if they asked for it. */
  private static boolean helpRequested(CommandLine cli, String[] args) {
    cli.parseArgs(args);
    if (cli.isUsageHelpRequested()) {
      cli.usage(System.out);
      return true;
    }
    if (cli.isVersionHelpRequested()) {
      cli.printVersionHelp(System.out);
      return true;
    }
    return false;
  }

  /** Parses arguments as the command line does, with {@code env} for the store's secrets. */
  static ServerConfig parse(List<String> args, Map<String, String> env) {
    ServerMain main = new ServerMain();
    new CommandLine(main).parseArgs(args.toArray(String[]::new));
    return main.options.toConfig(env);
  }

  /** {@link #parse(List, Map)} with an empty environment. */
  static ServerConfig parse(List<String> args) {
    return parse(args, Map.of());
  }
}
