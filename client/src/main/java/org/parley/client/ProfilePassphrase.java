package org.parley.client;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.parley.client.store.DeviceDatabase;

/**
 * Setting, changing and removing a profile's passphrase (docs/security.md, "Secrets at rest"). Each
 * rewrites every secret value of the profile in one transaction. A profile open in another process
 * at the time refuses its next operation and must be opened again.
 */
public final class ProfilePassphrase {
  private ProfilePassphrase() {}

  /**
   * Encrypts a profile that has no passphrase.
   *
   * @throws PassphraseException (ALREADY_ENCRYPTED) if it has one: change it instead
   */
  public static void set(Path profileDir, Passphrase passphrase) {
    Objects.requireNonNull(passphrase, "passphrase");
    try (DeviceDatabase db = DeviceDatabase.open(stateFile(profileDir))) {
      db.setPassphrase(passphrase);
    } catch (PassphraseException e) {
      if (e.problem() == PassphraseException.Problem.REQUIRED) {
        throw new PassphraseException(
            PassphraseException.Problem.ALREADY_ENCRYPTED,
            "this profile already has a passphrase; change it instead (parley passphrase change)");
      }
      throw e;
    }
  }

  /**
   * Re-encrypts a profile under a new passphrase, with a new profile key, so that the old
   * passphrase opens no copy of the file made from now on.
   */
  public static void change(Path profileDir, Passphrase current, Passphrase next) {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(next, "next");
    try (DeviceDatabase db = DeviceDatabase.open(stateFile(profileDir), Optional.of(current))) {
      db.setPassphrase(next);
    }
  }

  /**
   * Decrypts a profile: from now on its secrets are stored in the clear, as without a passphrase.
   */
  public static void remove(Path profileDir, Passphrase current) {
    Objects.requireNonNull(current, "current");
    try (DeviceDatabase db = DeviceDatabase.open(stateFile(profileDir), Optional.of(current))) {
      db.removePassphrase();
    }
  }

  private static Path stateFile(Path profileDir) {
    Objects.requireNonNull(profileDir, "profileDir");
    return profileDir.resolve(ParleyClient.STATE_FILE);
  }
}
