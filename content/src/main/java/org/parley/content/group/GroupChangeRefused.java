package org.parley.content.group;

/**
 * A group change a member device does not apply, and why (docs/spec/groups.md, "Applying a
 * change"); the member's state stays as it was.
 */
public final class GroupChangeRefused extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a change was refused; the names are the spec's. */
  public enum Reason {
    /** The change is for another group. */
    WRONG_GROUP,
    /** Its version is not the one after the member's state (a replay, a gap or a fork). */
    NOT_NEXT_VERSION,
    /** It follows another state than the member's at the version before (a fork). */
    OTHER_PREVIOUS_STATE,
    /** The author's device key is not the one key transparency proves, or it did not sign it. */
    BAD_SIGNATURE,
    /** The author is not a member, or a member that is not an admin did more than leave. */
    NOT_ALLOWED,
    /** The actions do not apply (a member added twice, a non-member removed, no admin left...). */
    INVALID
  }

  private final Reason reason;

  public GroupChangeRefused(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
