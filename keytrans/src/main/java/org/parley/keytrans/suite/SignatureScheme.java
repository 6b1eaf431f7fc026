package org.parley.keytrans.suite;

import java.security.SecureRandom;

/**
 * The signature algorithm of a cipher suite, used for tree heads: signing is deterministic and
 * verification never throws for a malformed key or signature, it answers false.
 */
public sealed interface SignatureScheme permits Ed25519Signatures, EcdsaP256Sha256 {

  /** A short name, such as {@code Ed25519}. */
  String name();

  /** Length of an encoded public key in bytes. */
  int publicKeyLength();

  /** Length of a signature in bytes. */
  int signatureLength();

  /** A fresh signing key drawn from {@code random}. */
  SignatureSecretKey generateSecretKey(SecureRandom random);

  /** The public key; throws IllegalArgumentException for a malformed secret key. */
  SignaturePublicKey publicKey(SignatureSecretKey secretKey);

  /** A signature over the message; throws IllegalArgumentException for a malformed secret key. */
  byte[] sign(SignatureSecretKey secretKey, byte[] message);

  /** Whether the signature is valid for the message under the key. */
  boolean verify(SignaturePublicKey publicKey, byte[] message, byte[] signature);
}
