package org.parley.client;

import java.time.Instant;
import org.parley.protocol.link.LinkCode;

/**
 * What an existing device sees of a link request before approving it.
 *
 * @param fingerprint the new device's key fingerprint, to compare with its screen
 * @param verifiedByUri true if a link URI was given and its fingerprint matched the server's key
 */
public record LinkRequestInfo(
    LinkCode code,
    String deviceName,
    int registrationId,
    byte[] identityKey,
    String fingerprint,
    boolean verifiedByUri,
    Instant expiresAt) {
  public LinkRequestInfo {
    identityKey = identityKey.clone();
  }

  @Override
  public byte[] identityKey() {
    return identityKey.clone();
  }
}
