package org.parley.client.kt;

import java.util.Objects;

/**
 * A key-transparency alarm: the log or the server did something an honest operator never does
 * (a device this account never approved, a fork, a rollback, a proof that does not verify). Kept
 * with its evidence (the signed heads and proofs that show it) and shown loudly to the user.
 *
 * @param raisedAt milliseconds since the epoch
 * @param kind a short stable name, e.g. {@code unapproved_device}, {@code invalid_proof}
 * @param subject whom it is about: a handle, an account, or {@code log}
 * @param message what happened and what to do, for the user
 * @param evidence the raw responses that show it, or empty
 */
public record KtAlarm(long raisedAt, String kind, String subject, String message, byte[] evidence) {
  public KtAlarm {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
    evidence = evidence == null ? new byte[0] : evidence.clone();
  }

  @Override
  public byte[] evidence() {
    return evidence.clone();
  }
}
