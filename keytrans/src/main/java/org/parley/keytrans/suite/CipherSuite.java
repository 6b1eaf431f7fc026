package org.parley.keytrans.suite;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.parley.keytrans.vrf.Vrf;
import org.parley.keytrans.vrf.VrfException;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfPublicKey;

/**
 * A key-transparency cipher suite (draft-ietf-keytrans-protocol, "Cipher Suites" and the IANA "KT
 * Cipher Suites" registry): the hash, the VRF, the tree-head signature scheme and the commitment
 * parameters a Transparency Log fixes when it is created.
 */
public sealed interface CipherSuite permits Kt128Sha256P256, Kt128Sha256Ed25519 {

  /** Code point 0x0001. */
  CipherSuite KT_128_SHA256_P256 = new Kt128Sha256P256();

  /** Code point 0x0002; Parley's default. */
  CipherSuite KT_128_SHA256_Ed25519 = new Kt128Sha256Ed25519();

  /** Hash.Nh and VRF.Nh of both suites. */
  int NH = 32;

  /** Nc: the length of a commitment opening in bytes. */
  int NC = 16;

  /** The suite Parley uses unless configured otherwise. */
  static CipherSuite defaultSuite() {
    return KT_128_SHA256_Ed25519;
  }

  /** The suite with this uint16 code point, if Parley implements it. */
  static Optional<CipherSuite> byId(int id) {
    return switch (id) {
      case 0x0001 -> Optional.of(KT_128_SHA256_P256);
      case 0x0002 -> Optional.of(KT_128_SHA256_Ed25519);
      default -> Optional.empty();
    };
  }

  /** The uint16 code point in the CipherSuite field. */
  int id();

  /** The registry name, such as {@code KT_128_SHA256_Ed25519}. */
  String name();

  /** The VRF; its own output may be longer than {@link #vrfOutputLength()}. */
  Vrf vrf();

  /** The tree-head signature scheme. */
  SignatureScheme signatureScheme();

  /** Hash.Nh. */
  default int hashLength() {
    return NH;
  }

  /** The suite hash, SHA-256, over the concatenation of the parts. */
  default byte[] hash(byte[]... parts) {
    // one digest per thread: looking the algorithm up per hash was a tenth of a tree update
    MessageDigest digest = Sha256.DIGEST.get();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /** VRF.Nh. */
  default int vrfOutputLength() {
    return NH;
  }

  /** VRF.Np. */
  default int vrfProofLength() {
    return vrf().proofLength();
  }

  /** The VRF output (VRF.Nh bytes) if the proof is valid for this key and input. */
  default byte[] verifyVrf(VrfPublicKey publicKey, byte[] input, VrfProof proof)
      throws VrfException {
    return Arrays.copyOf(vrf().verify(publicKey, input, proof), vrfOutputLength());
  }

  /** The VRF output (VRF.Nh bytes) of a proof the caller made or already verified. */
  default byte[] vrfOutput(VrfProof proof) throws VrfException {
    return Arrays.copyOf(vrf().proofToHash(proof), vrfOutputLength());
  }

  /** Nc. */
  default int commitmentOpeningLength() {
    return NC;
  }

  /** Kc: the fixed HMAC key for commitments, shared by both suites. */
  default byte[] commitmentKey() {
    return HexFormat.of().parseHex("d821f8790d97709796b4d7903357c3f5");
  }

  /** The per-thread SHA-256 instance {@link #hash} uses. */
  final class Sha256 {
    static final ThreadLocal<MessageDigest> DIGEST =
        ThreadLocal.withInitial(
            () -> {
              try {
                return MessageDigest.getInstance("SHA-256");
              } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
              }
            });

    private Sha256() {}
  }
}
