package org.parley.keytrans.operator;

/** A request the log refuses: what is wrong with it, for the server to map to an error code. */
public final class LogRequestException extends Exception {
  /** Why the request is refused. */
  public enum Reason {
    /** The label has no version (the draft defines no negative search result). */
    UNKNOWN_LABEL,
    /** The requested version does not exist. */
    UNKNOWN_VERSION,
    /**
     * The request advertises a tree size ({@code last}) this log never had: to a client that
     * verified a head of that size, evidence of a rollback or a fork.
     */
    UNKNOWN_TREE_SIZE,
    /** The request contradicts the log (a future tree size, a bad monitoring map, ...). */
    INVALID
  }

  private final Reason reason;

  public LogRequestException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
