package org.parley.keytrans.operator;

import java.util.Objects;
import org.parley.keytrans.commit.Commitment;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.vrf.VrfProof;

/**
 * A new version of a label ready to go into the next log entry: everything except its position,
 * which the entry gives it. Made by {@link TransparencyLog#prepare}, or read back from storage.
 */
public record PreparedVersion(
    Label label,
    long version,
    UpdateValue value,
    Opening opening,
    Commitment commitment,
    VrfProof vrfProof,
    SearchKey searchKey) {
  public PreparedVersion {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(opening, "opening");
    Objects.requireNonNull(commitment, "commitment");
    Objects.requireNonNull(vrfProof, "vrfProof");
    Objects.requireNonNull(searchKey, "searchKey");
  }

  LabelVersion at(long position) {
    return new LabelVersion(
        label, version, position, value, opening, commitment, vrfProof, searchKey);
  }
}
