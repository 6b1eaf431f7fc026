package org.parley.crypto;

/**
 * Why a pairwise protocol operation failed. Each subclass stands for one thing the caller can act
 * on; libsignal's own exception types never leave this module.
 */
public abstract sealed class SessionException extends Exception
    permits DuplicateCiphertextException,
        IdentityChangedException,
        InvalidCiphertextException,
        NoSenderKeyException,
        NoSessionException {
  private static final long serialVersionUID = 1L;

  SessionException(String message) {
    super(message);
  }
}
