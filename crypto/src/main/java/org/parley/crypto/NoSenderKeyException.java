package org.parley.crypto;

import java.util.UUID;

/**
 * A group message names a sender-key chain this device never received from its sender (its
 * distribution message is late, was lost, or was never sent to this device), or a chain that was
 * forgotten after a rotation.
 */
public final class NoSenderKeyException extends SessionException {
  private static final long serialVersionUID = 1L;
  private final RemoteAddress sender;
  private final UUID distributionId;

  NoSenderKeyException(RemoteAddress sender, UUID distributionId) {
    super("no sender key of " + sender + " for distribution " + distributionId);
    this.sender = sender;
    this.distributionId = distributionId;
  }

  public RemoteAddress sender() {
    return sender;
  }

  public UUID distributionId() {
    return distributionId;
  }
}
