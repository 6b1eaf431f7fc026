package org.parley.keytrans.prefix;

import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.CipherSuite;

/**
 * The draft's {@code PrefixLeaf}: a search key and the commitment stored under it.
 *
 * <pre>
 * struct {
 *   opaque vrf_output[VRF.Nh];
 *   opaque commitment[Hash.Nh];
 * } PrefixLeaf;
 * </pre>
 *
 * @param vrfOutput the search key
 * @param commitment the commitment to the label's {@code UpdateValue} at that version
 */
public record PrefixLeaf(SearchKey vrfOutput, HashValue commitment) {
  /** The encoded length in bytes. */
  public static final int ENCODED_LENGTH = SearchKey.LENGTH + CipherSuite.NH;

  public PrefixLeaf {
    if (vrfOutput == null || commitment == null) {
      throw new NullPointerException("vrfOutput and commitment are required");
    }
    if (commitment.length() != CipherSuite.NH) {
      throw new IllegalArgumentException("a commitment has " + CipherSuite.NH + " bytes");
    }
  }

  /** {@code Hash(0x02 || vrf_output || commitment)}. */
  public HashValue value(CipherSuite suite) {
    byte[] c = commitment.toByteArray();
    return HashValue.of(PrefixTreeHash.leafValue(suite, vrfOutput.bytes(), c));
  }
}
