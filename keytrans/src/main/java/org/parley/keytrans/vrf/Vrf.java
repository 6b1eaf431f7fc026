package org.parley.keytrans.vrf;

import java.security.SecureRandom;

/**
 * An RFC 9381 elliptic-curve verifiable random function: only the secret key's holder can compute
 * the output for an input, and anyone with the public key can check it.
 *
 * <p>Security contract: {@link #prove} is deterministic (the nonce is derived from the secret key
 * and the input) and does secret-scalar multiplication with BouncyCastle's fixed-point comb,
 * without branching on the secret in Parley code. {@link #verify} performs every check of RFC 9381
 * section 5.3 and reports any failure, whatever the input, as a {@link VrfException}.
 */
public interface Vrf {

  /** The RFC 9381 suite name, such as {@code ECVRF-P256-SHA256-TAI}. */
  String name();

  /** Length of an encoded public key in bytes. */
  int publicKeyLength();

  /** Length of an encoded secret key in bytes. */
  int secretKeyLength();

  /** Length of a proof (pi_string) in bytes: ptLen + cLen + qLen. */
  int proofLength();

  /** Length of the VRF output (beta_string) in bytes: the hash length. */
  int outputLength();

  /** A fresh secret key drawn from {@code random}. */
  VrfSecretKey generateSecretKey(SecureRandom random);

  /**
   * The public key for a secret key; throws IllegalArgumentException for a malformed secret key.
   */
  VrfPublicKey publicKey(VrfSecretKey secretKey);

  /**
   * ECVRF_prove (RFC 9381 section 5.1); throws IllegalArgumentException for a malformed secret key.
   */
  VrfProof prove(VrfSecretKey secretKey, byte[] alpha);

  /** ECVRF_prove with the secret key's public key already known (see EcVrf). */
  default VrfProof prove(VrfSecretKey secretKey, VrfPublicKey publicKey, byte[] alpha) {
    return prove(secretKey, alpha);
  }

  /** ECVRF_proof_to_hash (section 5.2): beta for a proof, without checking it against a key. */
  byte[] proofToHash(VrfProof proof) throws VrfException;

  /**
   * ECVRF_verify (section 5.3, with validate_key): beta if the proof is valid for this key and
   * input.
   */
  byte[] verify(VrfPublicKey publicKey, byte[] alpha, VrfProof proof) throws VrfException;
}
