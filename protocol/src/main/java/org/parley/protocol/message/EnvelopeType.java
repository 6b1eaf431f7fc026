package org.parley.protocol.message;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What the ciphertext of an envelope is: a libsignal PreKeySignalMessage (the first messages of a
 * session, PQXDH), a SignalMessage (Double Ratchet), or a SenderKeyMessage (a group message,
 * encrypted once under the sending device's sender-key chain; docs/spec/groups.md), or a sealed
 * envelope that hides its sender.
 */
public enum EnvelopeType {
  PREKEY_MESSAGE("prekey_message"),
  MESSAGE("message"),
  SENDER_KEY_MESSAGE("sender_key_message"),
  /**
   * A libsignal sealed-sender envelope around a one-to-one message: the envelope names no sender
   * (docs/spec/sealed-sender.md). Only the unauthenticated sealed send makes it.
   */
  SEALED_SENDER("sealed_sender");

  private final String wire;

  EnvelopeType(String wire) {
    this.wire = wire;
  }

  @JsonValue
  public String wire() {
    return wire;
  }
}
