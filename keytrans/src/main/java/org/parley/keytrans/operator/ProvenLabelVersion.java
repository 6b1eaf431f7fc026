package org.parley.keytrans.operator;

import java.util.Objects;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfPublicKey;

/**
 * A label version's VRF proof and search key, made by {@link TransparencyLog#proveVersion} ahead of
 * the entry that will hold it. Only the log makes one, so a holder knows the proof is the log's own
 * for exactly this label and version; it carries the VRF key it was made with so that a log refuses
 * another log's.
 */
public final class ProvenLabelVersion {
  private final Label label;
  private final long version;
  private final VrfProof vrfProof;
  private final SearchKey searchKey;
  private final VrfPublicKey vrfPublicKey;

  ProvenLabelVersion(
      Label label, long version, VrfProof vrfProof, SearchKey searchKey, VrfPublicKey key) {
    this.label = Objects.requireNonNull(label, "label");
    this.version = version;
    this.vrfProof = Objects.requireNonNull(vrfProof, "vrfProof");
    this.searchKey = Objects.requireNonNull(searchKey, "searchKey");
    this.vrfPublicKey = Objects.requireNonNull(key, "vrfPublicKey");
  }

  public Label label() {
    return label;
  }

  public long version() {
    return version;
  }

  public VrfProof vrfProof() {
    return vrfProof;
  }

  public SearchKey searchKey() {
    return searchKey;
  }

  VrfPublicKey vrfPublicKey() {
    return vrfPublicKey;
  }
}
