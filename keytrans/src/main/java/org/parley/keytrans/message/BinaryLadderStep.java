package org.parley.keytrans.message;

import java.util.Objects;
import java.util.Optional;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.tls.TlsReader;
import org.parley.keytrans.tls.TlsWriter;
import org.parley.keytrans.vrf.VrfProof;

/**
 * {@code struct { opaque proof[VRF.Np]; optional<HashValue> commitment; } BinaryLadderStep;}: the
 * VRF proof of one version of a label and, when the version exists and is not the one whose
 * commitment the user computes itself, its commitment.
 */
public record BinaryLadderStep(VrfProof proof, Optional<HashValue> commitment) {
  public BinaryLadderStep {
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(commitment, "commitment");
  }

  public void writeTo(TlsWriter out) {
    out.fixed(proof.bytes());
    out.u8(commitment.isPresent() ? 1 : 0);
    commitment.ifPresent(c -> out.fixed(c.toByteArray()));
  }

  public static BinaryLadderStep readFrom(TlsReader in, CipherSuite suite)
      throws MalformedEncodingException {
    VrfProof proof = new VrfProof(in.fixed(suite.vrfProofLength()));
    Optional<HashValue> commitment =
        in.present() ? Optional.of(HashValue.of(in.fixed(CipherSuite.NH))) : Optional.empty();
    return new BinaryLadderStep(proof, commitment);
  }
}
