package org.parley.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * An encrypted message for one device: its type and libsignal's serialized message. The type
 * travels beside the body on the wire; the receiver needs it to parse the body.
 */
public record Ciphertext(Type type, byte[] body) {
  /** The two kinds of pairwise message. */
  public enum Type {
    /** Carries the session setup (PQXDH); sent until the recipient has answered. */
    PREKEY_MESSAGE,
    /** A Double Ratchet message on an established session. */
    MESSAGE
  }

  public Ciphertext {
    Objects.requireNonNull(type, "type");
    body = Bytes.copy(body, "body");
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ciphertext other && type == other.type && Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "Ciphertext[" + type + ", " + body.length + " bytes]";
  }
}
