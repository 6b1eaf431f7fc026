package org.parley.crypto;

import java.util.Optional;

/**
 * The identity key a device presents differs from the one trusted for its address. The session is
 * not used until the caller decides, from the directory and later key transparency, to trust the
 * new key with {@link DeviceCrypto#trustIdentity}.
 */
public final class IdentityChangedException extends SessionException {
  private static final long serialVersionUID = 1L;
  private final RemoteAddress address;
  private final transient IdentityPublicKey presentedKey;

  IdentityChangedException(RemoteAddress address, IdentityPublicKey presentedKey) {
    super("identity key changed for " + address);
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
