package org.parley.crypto;

import java.util.Optional;

/**
 * The identity key a device presents is not the one trusted for its address: another key is
 * trusted, or none is. Nothing changes; the caller trusts proven keys with {@link
 * DeviceCrypto#trustIdentity}, and only a person's explicit decision replaces one ({@link
 * DeviceCrypto#replaceTrustedIdentity}).
 */
public final class IdentityChangedException extends SessionException {
  private static final long serialVersionUID = 1L;
  private final RemoteAddress address;
  private final transient IdentityPublicKey presentedKey;

  IdentityChangedException(RemoteAddress address, IdentityPublicKey presentedKey) {
    super("identity key not trusted for " + address);
    this.address = address;
    this.presentedKey = presentedKey;
  }

  public RemoteAddress address() {
    return address;
  }

  /** The new key the device presented, when libsignal reports it. */
  public Optional<IdentityPublicKey> presentedKey() {
    return Optional.ofNullable(presentedKey);
  }
}
