package org.parley.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.parley.client.ClientException;
import org.parley.client.Passphrase;

/**
 * Where the command gets passphrases: a file, the environment, or the terminal, never the command
 * line (ps would show it to every user of the machine).
 */
final class Passphrases {
  /** The current passphrase of the profile. */
  static final String ENV = "PARLEY_PASSPHRASE";

  /** The new passphrase of {@code parley passphrase set} and {@code change}. */
  static final String NEW_ENV = "PARLEY_NEW_PASSPHRASE";

  private final Map<String, String> env;
  private final Console console;

  Passphrases(Map<String, String> env, Console console) {
    this.env = env;
    this.console = console;
  }

  /** The passphrase given in {@code file} (if set), else in {@link #ENV}. */
  Optional<Passphrase> given(Path file) {
    return fromFileOrEnv(file, ENV);
  }

  /** The current passphrase: given, else typed once on the terminal. */
  Passphrase current(Path file, Path profile) {
    return given(file)
        .or(() -> typed("Passphrase of " + profile.toAbsolutePath() + ": "))
        .orElseThrow(() -> missing("this profile's passphrase", "--passphrase-file FILE", ENV));
  }

  /** Typed on the terminal, if there is one. */
  Optional<Passphrase> typed(String prompt) {
    if (console == null) {
      return Optional.empty();
    }
    char[] chars = console.readPassword("%s", prompt);
    if (chars == null || chars.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Passphrase.of(chars));
    } finally {
      Arrays.fill(chars, '\0');
    }
  }

  /** A new passphrase: from {@code file}, else {@link #NEW_ENV}, else typed twice. */
  Passphrase newOne(Path file) {
    Optional<Passphrase> given = fromFileOrEnv(file, NEW_ENV);
    if (given.isPresent()) {
      return given.get();
    }
    if (console == null) {
      throw missing("the new passphrase", "--new-passphrase-file FILE", NEW_ENV);
    }
    char[] first = console.readPassword("New passphrase: ");
    char[] second = console.readPassword("The same again: ");
    try {
      if (first == null || first.length == 0) {
        throw new Failures.UsageException("a passphrase cannot be empty");
      }
      if (!Arrays.equals(first, second)) {
        throw new Failures.UsageException("the two passphrases differ; nothing was changed");
      }
      return Passphrase.of(first);
    } finally {
      if (first != null) {
        Arrays.fill(first, '\0');
      }
      if (second != null) {
        Arrays.fill(second, '\0');
      }
    }
  }

  private Optional<Passphrase> fromFileOrEnv(Path file, String variable) {
    if (file != null) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(file);
      } catch (IOException e) {
        throw new ClientException(
            "cannot read the passphrase file " + file + ": " + e.getMessage(), e);
      }
      try {
        return Optional.of(Passphrase.fromFileBytes(bytes));
      } catch (IllegalArgumentException e) {
        throw new Failures.UsageException("the passphrase file " + file + ": " + e.getMessage());
      } finally {
        Arrays.fill(bytes, (byte) 0);
      }
    }
    String value = env.get(variable);
    if (value == null || value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Passphrase.of(value.toCharArray()));
  }

  private static ClientException missing(String what, String option, String variable) {
    return new ClientException(
        "no terminal to ask for "
            + what
            + ". Give it with "
            + option
            + " or the environment"
            + " variable "
            + variable
            + " (never on the command line)");
  }
}
