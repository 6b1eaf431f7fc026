package org.parley.content.group;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.cbor.ByteString;

/**
 * Whether {@code key} is the identity key key transparency proves for the author's device and
 * {@code signature} is its signature over {@code message}. The client implements it with its proven
 * device lists and libsignal's XEdDSA verification; the rules never trust a key for coming with the
 * change.
 */
@FunctionalInterface
public interface SignatureCheck {
  boolean verify(
      AccountId author, DeviceId device, ByteString key, byte[] message, ByteString signature);
}
