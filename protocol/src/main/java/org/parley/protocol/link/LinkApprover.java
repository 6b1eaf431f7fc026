package org.parley.protocol.link;

import org.parley.protocol.DeviceId;

/**
 * Who approved a link, as the new device is shown it before it joins: the approving device's id and
 * identity key, and its signature over the link approval statement ({@link ApprovalStatement}),
 * which the new device verifies under that key.
 */
public record LinkApprover(DeviceId deviceId, byte[] identityKey, byte[] signature) {
  public LinkApprover {
    identityKey = identityKey == null ? null : identityKey.clone();
    signature = signature == null ? null : signature.clone();
  }

  @Override
  public byte[] identityKey() {
    return identityKey == null ? null : identityKey.clone();
  }

  @Override
  public byte[] signature() {
    return signature == null ? null : signature.clone();
  }
}
