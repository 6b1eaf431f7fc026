package org.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueRecordsTest {
  @Test
  void byteArraysAreCopiedInAndOut() {
    byte[] body = {1, 2, 3};
    Ciphertext c = new Ciphertext(Ciphertext.Type.MESSAGE, body);
    body[0] = 9;
    assertThat(c.body()).containsExactly(1, 2, 3);
    c.body()[1] = 9;
    assertThat(c.body()).containsExactly(1, 2, 3);
    assertThat(c).isEqualTo(new Ciphertext(Ciphertext.Type.MESSAGE, new byte[] {1, 2, 3}));
  }

  @Test
  void secretsNeverPrint() {
    LocalIdentity identity = new LocalIdentity(new byte[] {0x42, 0x42, 0x42}, 7);
    assertThat(identity.toString()).contains("REDACTED").doesNotContain("424242");
  }

  @Test
  void addressesAreValidated() {
    String account = UUID.randomUUID().toString();
    assertThat(new RemoteAddress(account, 127).toString()).isEqualTo(account + ".127");
    assertThatThrownBy(() -> new RemoteAddress(account, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RemoteAddress(account, 128))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RemoteAddress("bob", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RemoteAddress(account.toUpperCase(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
