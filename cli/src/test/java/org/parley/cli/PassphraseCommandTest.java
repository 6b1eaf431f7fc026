package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypting a profile from the command line, without a server: the passphrase comes from a file or
 * the environment, is never an argument, and a wrong or missing one is one clear error line.
 */
class PassphraseCommandTest {
  @TempDir Path dir;
  private Path first;
  private Path second;

  @BeforeEach
  void passphraseFiles() throws Exception {
    first = Files.writeString(dir.resolve("first.txt"), "first passphrase\n");
    second = Files.writeString(dir.resolve("second.txt"), "second passphrase\n");
  }

  private CliRun run(Map<String, String> extraEnv, String... args) {
    Map<String, String> env = new HashMap<>(extraEnv);
    env.put("PARLEY_PROFILE", dir.resolve("profile").toString());
    return CliRun.run(env, args);
  }

  private CliRun run(String... args) {
    return run(Map.of(), args);
  }

  /** whoami opens the profile; with no account it says so (exit 1) once the profile is open. */
  private static void assertOpened(CliRun run) {
    assertThat(run.err()).as(run.err()).contains("has no account");
  }

  @Test
  void aPassphraseSetInPlaceIsNeededFromThenOn() {
    assertOpened(run("whoami")); // a profile without a passphrase
    CliRun set = run("passphrase", "set", "--new-passphrase-file", first.toString());
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("This profile is now encrypted.");

    CliRun without = run("whoami");
    assertThat(without.exit()).isEqualTo(1);
    without.assertOneErrorLine();
    assertThat(without.err())
        .contains(
            "this profile is encrypted. Give its passphrase with --passphrase-file FILE or the"
                + " environment variable PARLEY_PASSPHRASE");

    CliRun wrong = run("--passphrase-file", second.toString(), "whoami");
    assertThat(wrong.exit()).isEqualTo(6); // the profile cannot be opened: passphrase
    wrong.assertOneErrorLine();
    assertThat(wrong.err()).startsWith("parley: wrong passphrase for this profile. Check");

    assertOpened(run("--passphrase-file", first.toString(), "whoami"));
    assertOpened(run(Map.of("PARLEY_PASSPHRASE", "first passphrase"), "whoami"));

    CliRun again = run("passphrase", "set", "--new-passphrase-file", second.toString());
    assertThat(again.exit()).isEqualTo(6);
    assertThat(again.err()).contains("already has a passphrase");
  }

  @Test
  void changeAndRemoveTakeTheCurrentPassphraseFromFileOrEnvironment() {
    assertThat(run("passphrase", "set", "--new-passphrase-file", first.toString()).exit()).isZero();

    CliRun change =
        run(
            Map.of("PARLEY_PASSPHRASE", "first passphrase", "PARLEY_NEW_PASSPHRASE", "third one"),
            "passphrase",
            "change");
    assertThat(change.exit()).as(change.err()).isZero();
    assertThat(run("--passphrase-file", first.toString(), "whoami").err())
        .contains("wrong passphrase");
    assertOpened(run(Map.of("PARLEY_PASSPHRASE", "third one"), "whoami"));

    CliRun remove = run(Map.of("PARLEY_PASSPHRASE", "third one"), "--json", "passphrase", "remove");
    assertThat(remove.exit()).as(remove.err()).isZero();
    assertThat(remove.out().strip()).isEqualTo("{\"encrypted\":false}");
    assertOpened(run("whoami"));
  }

  @Test
  void aNewProfileOpenedWithAPassphraseIsEncryptedFromTheStart() {
    assertOpened(run("--passphrase-file", first.toString(), "whoami"));
    assertThat(run("whoami").err()).contains("this profile is encrypted");
  }

  @Test
  void aPassphraseForAProfileWithoutOneIsRefused() {
    assertOpened(run("whoami"));
    CliRun run = run(Map.of("PARLEY_PASSPHRASE", "anything"), "whoami");
    assertThat(run.exit()).isEqualTo(6);
    run.assertOneErrorLine();
    assertThat(run.err()).contains("a passphrase was given, but this profile has none");
  }

  @Test
  void withoutATerminalANewPassphraseMustBeGiven() {
    CliRun run = run("passphrase", "set");
    assertThat(run.exit()).isEqualTo(1);
    run.assertOneErrorLine();
    assertThat(run.err())
        .contains("--new-passphrase-file FILE or the environment variable PARLEY_NEW_PASSPHRASE");
    CliRun none = run("passphrase");
    assertThat(none.exit()).isEqualTo(2);
  }

  @Test
  void theHelpShowsTheOptionAndExamples() {
    CliRun help = run("--help");
    assertThat(help.out()).contains("--passphrase-file=FILE").contains("passphrase");
    CliRun sub = run("passphrase", "--help");
    assertThat(sub.out()).contains("Argon2id").contains("parley passphrase set");
  }
}
