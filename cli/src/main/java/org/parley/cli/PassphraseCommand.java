package org.parley.cli;

import java.nio.file.Path;
import org.parley.cli.json.Encryption;
import org.parley.client.Passphrase;
import org.parley.client.ProfilePassphrase;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code parley passphrase}: encrypts this profile under a passphrase, changes or removes it. */
@Command(
    name = "passphrase",
    mixinStandardHelpOptions = true,
    description = {
      "Encrypts this profile under a passphrase (set), re-encrypts it under a new one (change), or"
          + " stores it in the clear again (remove). Each rewrites the profile in place, in one"
          + " transaction; a parley listen running on the profile stops and must be started again.",
      "",
      "An encrypted profile seals its identity private key, prekeys, sessions, server password,"
          + " link code and message texts (AES-256-GCM under a random key, wrapped under the"
          + " passphrase with Argon2id). Handles, times, public keys and ids stay readable. Without"
          + " a passphrase, only the files' owner-only modes protect them; full-disk encryption is"
          + " the alternative (Parley uses no keystore of the operating system on Linux).",
      "",
      "The current passphrase comes from --passphrase-file or $PARLEY_PASSPHRASE, else the terminal"
          + " asks; the new one from --new-passphrase-file or $PARLEY_NEW_PASSPHRASE, else the"
          + " terminal asks twice. A forgotten passphrase cannot be recovered."
    },
    subcommands = {
      PassphraseCommand.Set.class,
      PassphraseCommand.Change.class,
      PassphraseCommand.Remove.class
    },
    footer = {
      "",
      "Examples:",
      "  parley passphrase set",
      "  parley passphrase set --new-passphrase-file ~/.config/parley/pass",
      "  PARLEY_PASSPHRASE=... parley passphrase change --new-passphrase-file new.txt",
      "  parley --passphrase-file ~/.config/parley/pass passphrase remove"
    })
final class PassphraseCommand implements Runnable {
  @ParentCommand Parley parley;
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "set, change or remove is required");
  }

  /** {@code parley passphrase set}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Encrypts this profile (which has no passphrase yet) under a new passphrase.",
      footer = {
        "",
        "Examples:",
        "  parley passphrase set",
        "  parley passphrase set --new-passphrase-file pass.txt"
      })
  static final class Set implements Runnable {
    @ParentCommand PassphraseCommand command;

    @Option(
        names = "--new-passphrase-file",
        paramLabel = "FILE",
        description = "Read the new passphrase from FILE (one trailing line break is dropped).")
    Path newFile;

    @Override
    public void run() {
      Parley parley = command.parley;
      try (Passphrase next = parley.passphrases().newOne(newFile)) {
        ProfilePassphrase.set(parley.profileDir(), next);
      }
      parley
          .output()
          .result(
              "This profile is now encrypted. Keep the passphrase safe: without it the profile cannot be"
                  + " opened, and nobody can reset it.",
              new Encryption(true));
    }
  }

  /** {@code parley passphrase change}. */
  @Command(
      name = "change",
      mixinStandardHelpOptions = true,
      description = "Re-encrypts this profile under a new passphrase and a new key.",
      footer = {
        "",
        "Examples:",
        "  parley passphrase change",
        "  parley --passphrase-file old.txt passphrase change --new-passphrase-file new.txt"
      })
  static final class Change implements Runnable {
    @ParentCommand PassphraseCommand command;

    @Option(
        names = "--new-passphrase-file",
        paramLabel = "FILE",
        description = "Read the new passphrase from FILE (one trailing line break is dropped).")
    Path newFile;

    @Override
    public void run() {
      Parley parley = command.parley;
      try (Passphrase current =
              parley.passphrases().current(parley.passphraseFile, parley.profileDir());
          Passphrase next = parley.passphrases().newOne(newFile)) {
        ProfilePassphrase.change(parley.profileDir(), current, next);
      }
      parley
          .output()
          .result(
              "Passphrase changed: the profile is encrypted under a new key.",
              new Encryption(true));
    }
  }

  /** {@code parley passphrase remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Decrypts this profile: its secrets are stored in the clear again.",
      footer = {
        "",
        "Examples:",
        "  parley passphrase remove",
        "  parley --passphrase-file pass.txt passphrase remove"
      })
  static final class Remove implements Runnable {
    @ParentCommand PassphraseCommand command;

    @Override
    public void run() {
      Parley parley = command.parley;
      try (Passphrase current =
          parley.passphrases().current(parley.passphraseFile, parley.profileDir())) {
        ProfilePassphrase.remove(parley.profileDir(), current);
      }
      parley
          .output()
          .result(
              "This profile is no longer encrypted: its keys, password and history are protected only"
                  + " by the owner-only modes of its files.",
              new Encryption(false));
    }
  }
}
