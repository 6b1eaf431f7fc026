package org.parley.client;

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
 * @param kind what happened
 * @param subject whom it is about: a handle, an account, or {@code log}
 * @param device the device of the subject it is about, if it is about one
 * @param message what happened and what to do, for the user
 * @param evidence the raw responses that show it, or empty
 * @param resolution how it was resolved; empty while it is open
 */
@SuppressWarnings("ArrayRecordComponent") // the evidence is copied in and out
public record KtAlarm(
    long id,
    long raisedAt,
    Kind kind,
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
  public KtAlarm(long raisedAt, Kind kind, String subject, String message, byte[] evidence) {
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

  /**
   * What an alarm is about. Each has a short stable name, its {@link #wireName}: the {@code kind}
   * of {@code parley --json} output and what {@code device.db} stores (client/README.md lists
   * them).
   */
  public enum Kind {
    /** A device in a published device list that no device of the account approved. */
    UNAPPROVED_DEVICE("unapproved_device"),
    /** A removed device (its key or its link serial) back in a published device list. */
    REVIVED_DEVICE("revived_device"),
    /** The log proves a new key for a device whose key this device trusted (an open question). */
    CHANGED_KEY("changed_key"),
    /** The server's directory offers a key for a device that the log proves with another key. */
    DIRECTORY_MISMATCH("directory_mismatch"),
    /** The log binds a handle to another account than the server said. */
    HANDLE_MISMATCH("handle_mismatch"),
    /** The log lists this very device with a key that is not its own. */
    OWN_KEY_MISMATCH("own_key_mismatch"),
    /** A message whose sender the server labelled as a device it cannot be from. */
    FORGED_SENDER("forged_sender"),
    /** A message from a device the log still did not prove after the hold time. */
    UNPROVEN_SENDER("unproven_sender"),
    /** A key-transparency answer that fails verification. */
    INVALID_PROOF("invalid_proof"),
    /** A value the log proves that does not decode (a handle's account, a device list). */
    MALFORMED_VALUE("malformed_value"),
    /** The log denies what it proved before: its database was put back, or it forked. */
    ROLLBACK("rollback"),
    /** A required auditor signed another log than the one this device is shown. */
    FORK("fork"),
    /** The log's keys or settings changed since this device pinned them. */
    CONFIGURATION_CHANGED("configuration_changed"),
    /**
     * Raised by early versions of issue 7 for a device missing from its own account's list (now a
     * not-yet-published error, not an alarm); kept so that the alarms such profiles stored read.
     */
    OWN_DEVICE_MISSING("own_device_missing");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    /** The stable name, as printed and stored. */
    public String wireName() {
      return wireName;
    }

    /**
     * The kind with this stable name.
     *
     * @throws IllegalArgumentException if no kind has it
     */
    public static Kind fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("no key-transparency alarm kind is named " + name);
    }

    /** The stable name, so that a kind reads the same in a message as in the output. */
    @Override
    public String toString() {
      return wireName;
    }
  }

  /** How an alarm stopped being open. */
  public enum Status {
    /** The person accepted what it is about (a changed key, after comparing safety numbers). */
    ACCEPTED,
    /** The log no longer proves what raised it (the device left the list, or its key is back). */
    SUPERSEDED
  }

  /**
   * How and when an alarm was resolved.
   *
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
