package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing, help and the one-line error contract of the parley command, without a server. */
class ParleyCommandTest {
  @TempDir Path dir;

  private CliRun run(String... args) {
    return CliRun.run(Map.of("PARLEY_PROFILE", dir.resolve("profile").toString()), args);
  }

  @Test
  void sendWithoutArgumentsIsAUsageErrorOnOneLine() {
    CliRun run = run("send");
    assertThat(run.exit()).isEqualTo(2);
    run.assertOneErrorLine();
    assertThat(run.err()).contains("HANDLE").contains("parley send --help");
  }

  @Test
  void anUnreachableServerFailsWithOneLineAndNoStackTrace() {
    CliRun run = run("register", "--server", "http://127.0.0.1:1", "alice");
    assertThat(run.exit()).isEqualTo(Failures.UNREACHABLE);
    run.assertOneErrorLine();
    assertThat(run.err())
        .startsWith("parley: cannot reach the server at http://127.0.0.1:1: connection refused.")
        .contains("parley server");
  }

  @Test
  void verboseAddsTheStackTrace() {
    CliRun run = run("--verbose", "register", "--server", "http://127.0.0.1:1", "alice");
    assertThat(run.exit()).isEqualTo(Failures.UNREACHABLE);
    assertThat(run.errLines().length).isGreaterThan(1);
    assertThat(run.err()).contains("ServerUnreachableException");
  }

  @Test
  void aMalformedServerUrlIsAUsageError() {
    CliRun run = run("register", "--server", "ftp://example.org", "alice");
    assertThat(run.exit()).isEqualTo(2);
    run.assertOneErrorLine();
  }

  @Test
  void anUnknownCommandWithHelpIsStillAnUnknownCommand() {
    CliRun daemon = run("daemon", "--help");
    assertThat(daemon.exit()).isEqualTo(2);
    daemon.assertOneErrorLine();
    assertThat(daemon.err()).contains("'daemon' is not a parley command");
    assertThat(daemon.out()).doesNotContain("Usage:");
    CliRun typo = run("--json", "--profile", dir.toString(), "sned", "bob", "hi");
    assertThat(typo.exit()).isEqualTo(2);
    assertThat(typo.err()).contains("'sned' is not a parley command; did you mean 'send'?");
    assertThat(run("--help").exit()).isZero(); // the real help still works
    assertThat(run("send", "--help").exit()).isZero();
  }

  @Test
  void unknownCommandsAndNoCommandAreUsageErrors() {
    CliRun unknown = run("frobnicate");
    assertThat(unknown.exit()).isEqualTo(2);
    unknown.assertOneErrorLine();
    CliRun none = run();
    assertThat(none.exit()).isEqualTo(2);
    none.assertOneErrorLine();
  }

  @Test
  void aProfileWithoutAccountSaysWhatToDo() {
    CliRun run = run("whoami");
    assertThat(run.exit()).isEqualTo(Failures.NO_ACCOUNT);
    run.assertOneErrorLine();
    assertThat(run.err()).contains("parley register");
    CliRun send = run("--profile", dir.resolve("other").toString(), "send", "bob", "hi");
    assertThat(send.exit()).isEqualTo(Failures.NO_ACCOUNT);
    send.assertOneErrorLine();
    assertThat(send.err()).contains("no account yet");
  }

  @Test
  void theServerRefusesPlainHttpOffLoopbackAsAUsageError() {
    CliRun run =
        run("server", "--host", "192.0.2.1", "--data-dir", dir.resolve("server").toString());
    assertThat(run.exit()).isEqualTo(2);
    run.assertOneErrorLine();
    assertThat(run.err()).contains("TLS");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "server",
        "register",
        "link",
        "devices",
        "devices list",
        "devices approve",
        "devices reject",
        "devices remove",
        "send",
        "receive",
        "listen",
        "history",
        "whoami",
        "safety-number",
        "outbox",
        "reset"
      })
  void everyCommandHasHelpWithExamples(String command) {
    String[] args = (command.isEmpty() ? "--help" : command + " --help").split(" ");
    CliRun run = run(args);
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage: parley").contains("Examples:");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void theJsonFlagAndProfileAreAcceptedAfterTheCommand() {
    CliRun run = run("whoami", "--json", "--profile", dir.resolve("p2").toString());
    assertThat(run.exit()).isEqualTo(Failures.NO_ACCOUNT);
    assertThat(run.errLines()).hasSize(1); // in --json mode, the one line is JSON
    assertThat(run.err())
        .startsWith("{\"error\":{\"code\":\"not_registered\",\"exit\":6,")
        .contains(dir.resolve("p2").toString());
  }

  @Test
  void theProfileComesFromTheOptionThenTheEnvironmentThenHome() {
    Parley withEnv = new Parley(Map.of("PARLEY_PROFILE", "/tmp/p"), null, null);
    assertThat(withEnv.profileDir()).isEqualTo(Path.of("/tmp/p"));
    Parley without = new Parley(Map.of(), null, null);
    assertThat(without.profileDir())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".parley", "default"));
    withEnv.profile = Path.of("/tmp/q");
    assertThat(withEnv.profileDir()).isEqualTo(Path.of("/tmp/q"));
  }

  @Test
  void loggingIsChosenByTheCommand() {
    assertThat(Logging.firstCommand(new String[] {"--profile", "server", "send", "x"}))
        .isEqualTo("send");
    assertThat(Logging.firstCommand(new String[] {"--json", "server"})).isEqualTo("server");
    assertThat(Logging.firstCommand(new String[] {"--help"})).isEmpty();
  }
}
