package org.parley.client;

import org.parley.crypto.Ciphertext;
import org.parley.protocol.message.EnvelopeType;

/**
 * The one mapping between the crypto layer's ciphertext types and the wire's envelope types. The
 * switches are exhaustive, so a type added on either side does not compile until it is mapped.
 */
final class EnvelopeTypes {
  private EnvelopeTypes() {}

  static EnvelopeType of(Ciphertext.Type type) {
    return switch (type) {
      case PREKEY_MESSAGE -> EnvelopeType.PREKEY_MESSAGE;
      case MESSAGE -> EnvelopeType.MESSAGE;
    };
  }

  /**
   * The pairwise ciphertext type of an envelope type.
   *
   * @throws IllegalArgumentException for a group message, which no session decrypts, or a sealed
   *     envelope
   */
  static Ciphertext.Type of(EnvelopeType type) {
    return switch (type) {
      case PREKEY_MESSAGE -> Ciphertext.Type.PREKEY_MESSAGE;
      case MESSAGE -> Ciphertext.Type.MESSAGE;
      case SENDER_KEY_MESSAGE ->
          throw new IllegalArgumentException("a group message is not a pairwise ciphertext");
      case SEALED_SENDER ->
          throw new IllegalArgumentException("a sealed envelope is opened, not decrypted");
    };
  }
}
