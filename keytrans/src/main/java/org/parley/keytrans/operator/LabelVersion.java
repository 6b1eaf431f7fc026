package org.parley.keytrans.operator;

import java.util.Objects;
import org.parley.keytrans.commit.Commitment;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.vrf.VrfProof;

/**
 * One version of a label as the log keeps it: where it was inserted, its value and opening, its
 * commitment, and its VRF proof and output (the search key), so that nothing is recomputed when the
 * log is rebuilt from storage.
 */
public record LabelVersion(
    Label label,
    long version,
    long position,
    UpdateValue value,
    Opening opening,
    Commitment commitment,
    VrfProof vrfProof,
    SearchKey searchKey) {
  public LabelVersion {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(opening, "opening");
    Objects.requireNonNull(commitment, "commitment");
    Objects.requireNonNull(vrfProof, "vrfProof");
    Objects.requireNonNull(searchKey, "searchKey");
  }
}
