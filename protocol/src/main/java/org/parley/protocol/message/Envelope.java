package org.parley.protocol.message;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * A ciphertext as queued for and delivered to one device. {@code id} is assigned by the server and
 * is what the device acknowledges; the sender fields are the authenticated sending device, and are
 * all null when the envelope is {@link EnvelopeType#SEALED_SENDER} as the server delivers it (the
 * server does not know the sender; docs/spec/sealed-sender.md).
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
    boolean named = sourceAccountId != null && sourceHandle != null && sourceDeviceId != null;
    boolean unnamed = sourceAccountId == null && sourceHandle == null && sourceDeviceId == null;
    if (type == EnvelopeType.SEALED_SENDER ? !(named || unnamed) : !named) {
      throw new IllegalArgumentException(
          "an envelope names its sender (all three fields) unless it is sealed_sender");
    }
  }

  /**
   * A sealed envelope as its recipient reads it once its certificate names the sender: the claim
   * still to be proven, never something the server said.
   */
  public Envelope withClaimedSender(AccountId account, Handle handle, DeviceId device) {
    if (type != EnvelopeType.SEALED_SENDER) {
      throw new IllegalStateException("only a sealed envelope's sender is read from inside it");
    }
    return new Envelope(id, account, handle, device, type, timestamp, serverTimestamp, content);
  }

  /** True if the server does not know who sent it. */
  public boolean sealed() {
    return type == EnvelopeType.SEALED_SENDER;
  }
}
