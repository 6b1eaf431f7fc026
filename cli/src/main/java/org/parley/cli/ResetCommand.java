package org.parley.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.parley.cli.json.Reset;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;
import org.parley.client.Passphrase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley reset}: clears a removed device's profile, to register or link it again. */
@Command(
    name = "reset",
    mixinStandardHelpOptions = true,
    description = {
      "Clears this profile (its keys, sessions, history and outbox) so that it can register or"
          + " link again. It asks the server first: only a device the server no longer accepts"
          + " (it was removed from its account) or a profile with no account is cleared, unless"
          + " --force. Asks for confirmation unless --yes."
    },
    footer = {"", "Examples:", "  parley reset", "  parley --profile ~/.parley/old reset --yes"})
final class ResetCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(names = "--yes", description = "Clear without asking.")
  boolean yes;

  @Option(
      names = "--force",
      description =
          "Clear even a device that is still active, or whose"
              + " server cannot be reached: its keys and history are lost.")
  boolean force;

  @Override
  public void run() {
    java.nio.file.Path dir = parley.profileDir();
    if (!java.nio.file.Files.exists(dir.resolve(ParleyClient.STATE_FILE))) {
      throw new ClientException(
          "there is no profile in "
              + dir
              + " to reset. Register or link"
              + " it (parley register, parley link)");
    }
    if (!yes && !confirm(dir)) {
      throw new ClientException("not reset. Run again and answer y, or add --yes");
    }
    Optional<Passphrase> given = parley.passphrases().given(parley.passphraseFile);
    ParleyClient.ResetBasis basis;
    try {
      basis = ParleyClient.reset(dir, given, force);
    } finally {
      given.ifPresent(Passphrase::close);
    }
    String why =
        switch (basis) {
          case REMOVED -> "this device had been removed from its account";
          case NO_ACCOUNT -> "it had no account";
          case FORCED -> "forced";
        };
    parley
        .output()
        .result(
            "Reset " + dir + " (" + why + "). Register or link it again.",
            new Reset(true, dir.toString(), basis.name().toLowerCase(java.util.Locale.ROOT)));
  }

  private boolean confirm(java.nio.file.Path dir) {
    String question = "Clear the profile " + dir + " (keys, history, outbox)? [y/N] ";
    try {
      var console = System.console();
      String answer;
      if (console != null) {
        answer = console.readLine(question);
      } else {
        parley.err().print(question);
        parley.err().flush();
        answer =
            new BufferedReader(new InputStreamReader(parley.stdin(), StandardCharsets.UTF_8))
                .readLine();
      }
      return answer != null && answer.strip().equalsIgnoreCase("y");
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
