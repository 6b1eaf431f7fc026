package org.parley.crypto;

/**
 * The message was already decrypted (its message key is used up), or it replays a PreKey message
 * whose base key was already seen with a last-resort Kyber prekey. Either way the caller drops it;
 * {@link #isReplay()} tells the two apart for logging.
 */
public final class DuplicateCiphertextException extends SessionException {
  private static final long serialVersionUID = 1L;
  private final boolean replay;

  DuplicateCiphertextException(String message, boolean replay) {
    super(message);
    this.replay = replay;
  }

  /** True when a PreKey message was replayed against a last-resort Kyber prekey. */
  public boolean isReplay() {
    return replay;
  }
}
