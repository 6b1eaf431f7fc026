package org.parley.keytrans.user;

/**
 * A response that fails verification. Its message names the failed check. A user must not change
 * any retained state on it; depending on the check it is evidence of a misbehaving log (a fork, a
 * rollback, a hidden version), which the caller reports rather than retries.
 */
public final class VerificationException extends Exception {
  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
