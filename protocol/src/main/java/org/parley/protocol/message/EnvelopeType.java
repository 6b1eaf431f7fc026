package org.parley.protocol.message;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the ciphertext of an envelope is: a libsignal PreKeySignalMessage (the first messages of a
 * session, PQXDH) or a SignalMessage (Double Ratchet).
 */
public enum EnvelopeType {
  PREKEY_MESSAGE("prekey_message"),
  MESSAGE("message");

  private final String wire;

  EnvelopeType(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
