package org.parley.protocol.message;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * A ciphertext as queued for and delivered to one device. {@code id} is assigned by the server and
 * is what the device acknowledges; the sender fields are the authenticated sending device, and are
 * all null exactly when the envelope is {@link EnvelopeType#SEALED_SENDER} (the server does not
 * know the sender; docs/spec/sealed-sender.md).
 */
public record Envelope(
    String id,
    AccountId sourceAccountId,
    Handle sourceHandle,
    DeviceId sourceDeviceId,
    EnvelopeType type,
    long timestamp,
    long serverTimestamp,
    byte[] content) {
  public Envelope {
    boolean sealed = type == EnvelopeType.SEALED_SENDER;
    if (sealed != (sourceAccountId == null)
        || sealed != (sourceHandle == null)
        || sealed != (sourceDeviceId == null)) {
      throw new IllegalArgumentException(
          "an envelope names its sender (all three fields) exactly when it is not sealed_sender");
    }
  }

  /**
   * The start of an ephemeral envelope's id (docs/spec/api.md, "Ephemeral messages"): pushed to a
   * connected device only, never stored, never acknowledged.
   */
  public static final String EPHEMERAL_ID_PREFIX = "ephemeral-";

  /** True for an ephemeral envelope: its recipient must not acknowledge it. */
  public boolean ephemeral() {
    return id.startsWith(EPHEMERAL_ID_PREFIX);
  }

  /** True if the server does not know who sent it. */
  public boolean sealed() {
    return type == EnvelopeType.SEALED_SENDER;
  }
}
