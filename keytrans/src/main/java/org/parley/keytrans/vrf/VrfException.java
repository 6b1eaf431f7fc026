package org.parley.keytrans.vrf;

/** A VRF proof or public key is invalid (RFC 9381's "INVALID"). */
public final class VrfException extends Exception {
  private static final long serialVersionUID = 1L;

  public VrfException(String message) {
    super(message);
  }
}
