package org.parley.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

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
  void addressesPrintAsAccountDotDevice() {
    AccountId account = AccountId.random();
    assertThat(new RemoteAddress(account, DeviceId.of(127)).toString()).isEqualTo(account + ".127");
    assertThatThrownBy(() -> new RemoteAddress(account, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new RemoteAddress(null, DeviceId.of(1)))
        .isInstanceOf(NullPointerException.class);
  }
}
