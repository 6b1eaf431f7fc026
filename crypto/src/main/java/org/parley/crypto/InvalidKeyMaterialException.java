package org.parley.crypto;

/**
 * Key material that does not parse, or whose signature does not verify under the identity key that
 * should have made it (an uploaded prekey, a fetched bundle).
 */
public final class InvalidKeyMaterialException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidKeyMaterialException(String message) {
    super(message);
  }
}
