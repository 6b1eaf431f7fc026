package org.parley.cli.json;

import org.parley.client.SealedStatus;

/**
 * {@code parley sealed}: the pinned trust root (hex, null before first use), whether the server has
 * this device's delivery credential, how many contact devices handed theirs over, when the sender
 * certificate expires (ISO-8601, null before the first sealed send), and whether this run replaced
 * the credential.
 */
public record Sealed(
    String trustRoot,
    boolean credentialRegistered,
    int contactDevices,
    String certificateExpires,
    boolean rotated)
    implements JsonLine {
  public static Sealed of(SealedStatus s, boolean rotated) {
    return new Sealed(
        s.trustRoot().orElse(null),
        s.credentialRegistered(),
        s.contactDevices(),
        s.certificateExpires().map(Object::toString).orElse(null),
        rotated);
  }
}
