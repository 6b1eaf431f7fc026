package org.parley.keytrans.audit;

/**
 * An {@link AuditorUpdate} the auditor refuses, naming the step of draft "Third Parties / Auditing"
 * that failed. The auditor's state is unchanged.
 */
public final class AuditException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int step;

  public AuditException(int step, String message) {
    super("step " + step + ": " + message);
    this.step = step;
  }

  /** The draft's step number, 1 to 7. */
  public int step() {
    return step;
  }
}
