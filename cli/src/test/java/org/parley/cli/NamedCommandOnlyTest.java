package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A run builds only the command its line names (Commands): each line here, one that a mistaken
 * choice of commands would change (help, errors, global options before the command, option values
 * that are command names), must answer exactly as with every command built.
 */
class NamedCommandOnlyTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "parley {0}")
  @ValueSource(
      strings = {
        "",
        "--help",
        "-h",
        "--version",
        "-V",
        "-Vh",
        "--json -V",
        "--version --help",
        "--help send",
        "-hV send",
        "--version send bob hi",
        "--json",
        "--profile",
        "--bogus",
        "--bogus send",
        "-- send",
        "help",
        "help send",
        "help devices",
        "help help",
        "help bogus",
        "--json help send",
        "send",
        "send --help",
        "send --bogus",
        "send bob",
        "--json send",
        "--profile PROFILE send bob hi",
        "--profile=PROFILE send bob hi",
        "--profile send whoami",
        "--profile=send whoami",
        "--profile help",
        "--profile frobnicate",
        "--profile -h send",
        "--passphrase-file /nonexistent send bob hi",
        "--json --insecure-http --ca-cert /nonexistent whoami",
        "whoami",
        "whoami extra",
        "whoami --json",
        "whoami --version",
        "whoami send",
        "devices --help",
        "devices lst",
        "devices list send",
        "passphrase",
        "passphrase set --help",
        "server --bogus",
        "server --data-dir send --help",
        "register --server send alice",
        "safety-number send",
        "sned bob hi",
        "--json sned bob hi",
        "daemon --help",
        "Send",
        "hel"
      })
  void answersAsWithEveryCommand(String line) {
    String named = run(line, "named", Commands::needed);
    String every = run(line, "every", (top, args) -> Commands.ALL);
    assertThat(named).isEqualTo(every);
  }

  /** The exit code and output of one run, with its own profile directories under {@code name}. */
  private String run(
      String line, String name, BiFunction<CommandSpec, String[], List<Commands.Entry>> commands) {
    Path base = dir.resolve(name);
    String[] args =
        line.isEmpty() ? new String[0] : line.replace("PROFILE", base + "/given").split(" ");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Parley.execute(
            args,
            Map.of("PARLEY_PROFILE", base + "/env"),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            commands);
    return ("exit " + exit + "\nout:\n" + out + "err:\n" + err).replace(base.toString(), "BASE");
  }
}
