package org.parley.crypto;

/**
 * There is no usable session with the address: none was started, it was deleted, or it expired. The
 * sender fetches a fresh bundle and calls {@link DeviceCrypto#startSession}.
 */
public final class NoSessionException extends SessionException {
  private static final long serialVersionUID = 1L;
  private final RemoteAddress address;

  NoSessionException(RemoteAddress address) {
    super("no session with " + address);
    this.address = address;
  }

  public RemoteAddress address() {
    return address;
  }
}
