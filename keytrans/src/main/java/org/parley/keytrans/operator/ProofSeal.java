package org.parley.keytrans.operator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfPublicKey;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * Seals a label version's VRF proof and search key for storage outside the log (the server keeps
 * the proofs it makes when a change is recorded until the epoch that publishes it), so that the log
 * takes them back without proving again and without trusting the storage: {@code tag(32) || search
 * key(32) || proof}, the tag an HMAC-SHA256 over the label, the version, the search key and the
 * proof, keyed by a key derived from the VRF secret key. A seal made for another label or version,
 * by another log, or altered in any way does not open; checking costs microseconds where verifying
 * the VRF proof would cost as much as proving it.
 */
final class ProofSeal {
  private static final String MAC = "HmacSHA256";
  private static final int TAG = 32;
  private static final byte[] CONTEXT =
      "parley key transparency: sealed label-version proof, v1".getBytes(StandardCharsets.UTF_8);

  private final SecretKeySpec key;
  private final Mac keyed; // a prototype, cloned per use: Mac is not thread-safe, a clone is cheap
  private final VrfPublicKey vrfPublicKey;

  ProofSeal(VrfSecretKey vrfKey, VrfPublicKey vrfPublicKey) {
    // HKDF-Extract-like: a key of its own for this use, never the VRF key itself
    byte[] secret = vrfKey.bytes();
    try {
      this.key = new SecretKeySpec(mac(new SecretKeySpec(secret, MAC)).doFinal(CONTEXT), MAC);
      this.keyed = mac(key);
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
    this.vrfPublicKey = vrfPublicKey;
  }

  byte[] seal(ProvenLabelVersion proven) {
    byte[] proof = proven.vrfProof().bytes();
    byte[] searchKey = proven.searchKey().toByteArray();
    byte[] tag = tag(proven.label(), proven.version(), searchKey, proof);
    return ByteBuffer.allocate(TAG + SearchKey.LENGTH + proof.length)
        .put(tag)
        .put(searchKey)
        .put(proof)
        .array();
  }

  Optional<ProvenLabelVersion> open(Label label, long version, byte[] sealed) {
    if (version < 0 || sealed.length <= TAG + SearchKey.LENGTH) {
      return Optional.empty();
    }
    byte[] tag = Arrays.copyOfRange(sealed, 0, TAG);
    byte[] searchKey = Arrays.copyOfRange(sealed, TAG, TAG + SearchKey.LENGTH);
    byte[] proof = Arrays.copyOfRange(sealed, TAG + SearchKey.LENGTH, sealed.length);
    if (!MessageDigest.isEqual(tag, tag(label, version, searchKey, proof))) {
      return Optional.empty();
    }
    return Optional.of(
        new ProvenLabelVersion(
            label, version, new VrfProof(proof), SearchKey.of(searchKey), vrfPublicKey));
  }

  private byte[] tag(Label label, long version, byte[] searchKey, byte[] proof) {
    byte[] labelBytes = label.bytes();
    Mac mac = copy();
    mac.update((byte) labelBytes.length);
    mac.update(labelBytes);
    mac.update(ByteBuffer.allocate(Long.BYTES).putLong(version).array());
    mac.update(searchKey);
    mac.update(proof); // last, so its length needs no prefix: everything before it is fixed
    return mac.doFinal();
  }

  private Mac copy() {
    try {
      return (Mac) keyed.clone();
    } catch (CloneNotSupportedException e) {
      return mac(key); // a provider whose HMAC does not clone: initialise a new one
    }
  }

  private static Mac mac(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HMAC-SHA256", e);
    }
  }
}
