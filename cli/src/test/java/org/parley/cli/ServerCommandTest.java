package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ServerConfig;
import org.parley.server.ServerMain;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

class ServerCommandTest {
  @TempDir Path dir;

  private static ServerCommand parse(String... args) {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  private static ServerConfig config(String... args) {
    return parse(args).config(Map.of());
  }

  @Test
  void plainHttpDefaultsTo8080OnLoopback() {
    var config = config();
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.store()).isEqualTo("sqlite");
    assertThat(config.dataDir())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".parley", "server"));
  }

  @Test
  void tlsDefaultsToTheStandardHttpsPort() {
    assertThat(config("--tls-cert", "cert.pem", "--tls-key", "key.pem").port()).isEqualTo(443);
  }

  @Test
  void anExplicitPortWins() {
    assertThat(config("--tls-cert", "c.pem", "--tls-key", "k.pem", "--port", "8443").port())
        .isEqualTo(8443);
    assertThat(config("--port", "9090", "--data-dir", "/tmp/x").dataDir())
        .isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void limitsAreSetByNameAsInServerMain() {
    var config =
        config("--limit", "sends-per-pair-per-minute=5", "--limit", "handle-lookups-per-minute=7");
    assertThat(config.limits().sendsPerPairPerMinute()).isEqualTo(5);
    assertThat(config.limits().handleLookupsPerMinute()).isEqualTo(7);
    assertThat(config().limits()).isEqualTo(org.parley.server.http.RateLimits.defaults());
    assertThatThrownBy(() -> config("--limit", "nosuch=1"))
        .hasMessageContaining("unknown limit nosuch");
  }

  @Test
  void theKeyTransparencyOptionsAndTheTestSwitchAreAccepted() {
    var config =
        config("--kt-epoch", "200ms", "--kt-heartbeat", "5s", "--kt-test-misbehaviour", "true");
    assertThat(config.kt().epoch()).hasMillis(200);
    assertThat(config.kt().misbehaviour()).isTrue();
  }

  /** Every option of parley-server is one of parley server, the same in name, kind and help. */
  @Test
  void theServerCommandHasEveryOptionOfServerMain() {
    CommandSpec serverMain = new CommandLine(ServerMain.class).getCommandSpec();
    CommandSpec parleyServer =
        Parley.withEveryCommand(new Parley(Map.of(), null, null))
            .getSubcommands()
            .get("server")
            .getCommandSpec();
    assertThat(describe(parleyServer)).isEqualTo(describe(serverMain));
    assertThat(describe(serverMain))
        .containsKeys(
            "--config",
            "--data-dir",
            "--port",
            "--host",
            "--domain",
            "--store",
            "--store-setting",
            "--tls-cert",
            "--tls-key",
            "--kt-epoch",
            "--kt-heartbeat",
            "--kt-monitoring-window",
            "--kt-max-behind",
            "--kt-test-misbehaviour",
            "--limit");
  }

  private static Map<String, String> describe(CommandSpec spec) {
    Map<String, String> options = new TreeMap<>();
    for (OptionSpec o : spec.options()) {
      // the parley command's own options (--profile, --json, ...) are inherited, not the server's
      if (!o.usageHelp() && !o.versionHelp() && !o.inherited()) {
        options.put(
            o.longestName(),
            String.join(",", o.names())
                + " "
                + o.type().getName()
                + " "
                + o.arity()
                + " "
                + o.paramLabel()
                + " hidden="
                + o.hidden()
                + " "
                + String.join(" ", o.description()));
      }
    }
    return options;
  }

  @Test
  void theHelpShowsEveryOptionButTheTestSwitch() {
    CliRun run = CliRun.run(Map.of(), "server", "--help");
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains(
            "--config=FILE",
            "--kt-epoch=DURATION",
            "--kt-max-behind",
            "--limit=NAME=N",
            "PARLEY_STORE_PASSWORD")
        .doesNotContain("misbehaviour");
  }

  @Test
  void aPasswordOnTheCommandLineIsAUsageErrorThatSaysHowToGiveIt() {
    CliRun run =
        CliRun.run(
            Map.of(),
            "server",
            "--data-dir",
            dir.toString(),
            "--store",
            "postgres",
            "--store-setting",
            "password=hunter2");
    assertThat(run.exit()).isEqualTo(Failures.USAGE);
    run.assertOneErrorLine();
    assertThat(run.err())
        .contains("PARLEY_STORE_PASSWORD", "password-file")
        .doesNotContain("hunter2");
  }

  @Test
  void thePasswordComesFromTheEnvironmentTheCommandWasGiven() {
    Parley parley = new Parley(Map.of("PARLEY_STORE_PASSWORD", "from env"), null, null);
    CommandLine.ParseResult parsed =
        Parley.withEveryCommand(parley).parseArgs("server", "--store", "postgres");
    ServerCommand command = parsed.subcommand().commandSpec().commandLine().getCommand();
    assertThat(command.config(command.parley.env()).storeSettings())
        .containsEntry("password", "from env");
  }

  @Test
  void aConfigurationFileIsReadAndTheCommandLineOverridesIt() throws Exception {
    Path conf = dir.resolve("server.conf");
    java.nio.file.Files.writeString(conf, "port = 9000\ndomain = conf.example\n");
    var config = config("--config", conf.toString(), "--port", "9001");
    assertThat(config.port()).isEqualTo(9001);
    assertThat(config.domain()).isEqualTo("conf.example");
    java.nio.file.Files.writeString(conf, "port = 9000\nprot = 1\n");
    CliRun run = CliRun.run(Map.of(), "server", "--config", conf.toString());
    assertThat(run.exit()).isEqualTo(Failures.USAGE);
    run.assertOneErrorLine();
    assertThat(run.err()).contains(conf + " line 2: unknown setting 'prot'");
  }
}
