package org.parley.crypto;

/**
 * The ciphertext does not parse, fails authentication (tampered or forged), uses an unsupported
 * version, or names a prekey this device does not have.
 */
public final class InvalidCiphertextException extends SessionException {
  private static final long serialVersionUID = 1L;

  InvalidCiphertextException(String message) {
    super(message);
  }
}
