package org.parley.client.kt;

import java.util.Objects;
import java.util.Optional;
import org.parley.protocol.DeviceId;

/**
 * A key-transparency alarm: the log or the server did something an honest operator never does (a
 * device this account never approved, a fork, a rollback, a proof that does not verify). Kept with
 * its evidence (the signed heads and proofs that show it) and shown loudly to the user. An alarm
 * stays open until it is resolved: a changed key the person accepted after comparing safety
 * numbers, or superseded once the log stops proving what caused it. A resolved alarm is kept, with
 * its evidence, and no longer fails a check.
 *
 * @param id the local row id (0 for an alarm not stored)
 * @param raisedAt milliseconds since the epoch
 * @param kind a short stable name, e.g. {@code unapproved_device}, {@code invalid_proof}
 * @param subject whom it is about: a handle, an account, or {@code log}
 * @param device the device of the subject it is about, if it is about one
 * @param message what happened and what to do, for the user
 * @param evidence the raw responses that show it, or empty
 * @param resolution how it was resolved; empty while it is open
 */
public record KtAlarm(
    long id,
    long raisedAt,
    String kind,
    String subject,
    Optional<DeviceId> device,
    String message,
    byte[] evidence,
    Optional<Resolution> resolution) {
  public KtAlarm {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(resolution, "resolution");
    evidence = evidence == null ? new byte[0] : evidence.clone();
  }

  /** An open alarm, not stored yet. */
  public KtAlarm(long raisedAt, String kind, String subject, String message, byte[] evidence) {
    this(0, raisedAt, kind, subject, Optional.empty(), message, evidence, Optional.empty());
  }

  @Override
  public byte[] evidence() {
    return evidence.clone();
  }

  /** True until the alarm is resolved: an open alarm fails the check that shows it. */
  public boolean open() {
    return resolution.isEmpty();
  }

  /** How an alarm stopped being open. */
  public enum Status {
    /** The person accepted what it is about (a changed key, after comparing safety numbers). */
    ACCEPTED,
    /** The log no longer proves what raised it (the device left the list, or its key is back). */
    SUPERSEDED
  }

  /**
   * @param status accepted or superseded
   * @param at when, milliseconds since the epoch
   * @param note what resolved it, for the user
   */
  public record Resolution(Status status, long at, String note) {
    public Resolution {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(note, "note");
    }
  }
}
