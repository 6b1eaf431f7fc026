package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.crypto.Ciphertext;
import org.parley.protocol.message.EnvelopeType;

class EnvelopeTypesTest {
  @Test
  void eachCiphertextTypeTravelsAsItsEnvelopeTypeAndBack() {
    assertThat(EnvelopeTypes.of(Ciphertext.Type.PREKEY_MESSAGE))
        .isEqualTo(EnvelopeType.PREKEY_MESSAGE);
    assertThat(EnvelopeTypes.of(Ciphertext.Type.MESSAGE)).isEqualTo(EnvelopeType.MESSAGE);
    for (Ciphertext.Type type : Ciphertext.Type.values()) {
      assertThat(EnvelopeTypes.of(EnvelopeTypes.of(type))).isEqualTo(type);
    }
    for (EnvelopeType type : EnvelopeType.values()) {
      if (type != EnvelopeType.SENDER_KEY_MESSAGE && type != EnvelopeType.SEALED_SENDER) {
        assertThat(EnvelopeTypes.of(EnvelopeTypes.of(type))).isEqualTo(type);
      }
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EnvelopeTypes.of(EnvelopeType.SENDER_KEY_MESSAGE))
        .isInstanceOf(IllegalArgumentException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EnvelopeTypes.of(EnvelopeType.SEALED_SENDER))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
