package org.parley.client;

/** A profile could not be opened, or its passphrase set, for a reason about its passphrase. */
public final class PassphraseException extends ClientException {
  private static final long serialVersionUID = 1L;

  /** What was wrong. */
  public enum Problem {
    /** The profile is encrypted and no passphrase was given. */
    REQUIRED,
    /** The passphrase does not open the profile's key. */
    WRONG,
    /** A passphrase was given for a profile that is not encrypted. */
    NOT_ENCRYPTED,
    /** The profile is already encrypted (set it with change instead). */
    ALREADY_ENCRYPTED
  }

  private final Problem problem;

  public PassphraseException(Problem problem, String message) {
    super(message);
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }
}
