package org.parley.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;
import org.parley.client.Passphrase;
import org.parley.client.PassphraseException;
import org.parley.client.store.ProfileCipher.KdfParameters;
import org.parley.client.store.ProfileCipher.WrappedKey;

/** Sealing with associated data, and the wrap of the profile key under a passphrase. */
class ProfileCipherTest {
  /** Argon2id's smallest cost this class accepts, to keep the test fast. */
  private static final KdfParameters CHEAP = new KdfParameters(8 * 1024, 1, 1);

  private final ProfileCipher cipher = ProfileCipher.generate();
  private final byte[] ad = Secret.SESSION.associatedData("acct", 1);

  @Test
  void aSealedValueOpensOnlyWithItsAssociatedData() throws Exception {
    byte[] value = "a session record".getBytes(StandardCharsets.UTF_8);
    byte[] sealed = cipher.seal(value, ad);

    assertThat(cipher.open(sealed, ad)).isEqualTo(value);
    assertThat(sealed).hasSize(1 + 12 + value.length + 16);
    assertThat(RawFiles.indexOf(sealed, value)).isEqualTo(-1);
    assertThat(cipher.seal(value, ad)).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThatThrownBy(() -> cipher.open(sealed, Secret.SESSION.associatedData("acct", 2)))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> cipher.open(sealed, Secret.PREKEY.associatedData(1)))
        .isInstanceOf(AEADBadTagException.class);
    assertThatThrownBy(() -> ProfileCipher.generate().open(sealed, ad))
        .isInstanceOf(AEADBadTagException.class);
    for (int i = 0; i < sealed.length; i++) {
      byte[] altered = sealed.clone();
      altered[i] ^= 0x01;
      assertThatThrownBy(() -> cipher.open(altered, ad)).isInstanceOf(AEADBadTagException.class);
    }
  }

  @Test
  void rowKeysOfDifferentShapesNeverShareAssociatedData() {
    assertThat(Secret.SESSION.associatedData("a", 12))
        .isNotEqualTo(Secret.SESSION.associatedData("a1", 2));
    assertThat(Secret.PASSWORD.associatedData(1)).isNotEqualTo(Secret.LINK_CODE.associatedData(1));
    assertThat(Secret.PREKEY.associatedData(7)).isEqualTo(Secret.PREKEY.associatedData(7L));
  }

  @Test
  void theKeyUnwrapsOnlyWithItsPassphrase() throws Exception {
    byte[] sealed = cipher.seal(new byte[] {1, 2, 3}, ad);
    WrappedKey wrapped;
    try (Passphrase right = Passphrase.of("correct horse".toCharArray())) {
      wrapped = cipher.wrap(right, CHEAP);
      assertThat(ProfileCipher.unwrap(wrapped, right).open(sealed, ad)).containsExactly(1, 2, 3);
    }
    try (Passphrase wrong = Passphrase.of("correct hors".toCharArray())) {
      assertThatThrownBy(() -> ProfileCipher.unwrap(wrapped, wrong))
          .isInstanceOfSatisfying(
              PassphraseException.class,
              e -> assertThat(e.problem()).isEqualTo(PassphraseException.Problem.WRONG))
          .hasMessage("wrong passphrase for this profile");
    }
    // the parameters are bound to the wrap: lowering them does not open it
    try (Passphrase right = Passphrase.of("correct horse".toCharArray())) {
      WrappedKey cheaper =
          new WrappedKey(new KdfParameters(8 * 1024, 2, 1), wrapped.salt(), wrapped.sealedKey());
      assertThatThrownBy(() -> ProfileCipher.unwrap(cheaper, right))
          .isInstanceOf(PassphraseException.class);
    }
  }

  @Test
  void nothingPrintsTheKeyOrThePassphrase() {
    assertThat(cipher.toString()).isEqualTo("ProfileCipher[REDACTED]");
    assertThat(Passphrase.of("hunter2".toCharArray()).toString())
        .doesNotContain("hunter2")
        .contains("REDACTED");
    assertThat(SecretCodec.sealedUnder(cipher).toString()).contains("REDACTED");
  }

  @Test
  void aPassphraseFileLosesOneTrailingLineBreakOnly() {
    try (Passphrase p =
        Passphrase.fromFileBytes("pass word \r\n".getBytes(StandardCharsets.UTF_8))) {
      assertThat(new String(p.utf8Bytes(), StandardCharsets.UTF_8)).isEqualTo("pass word ");
    }
    assertThatThrownBy(() -> Passphrase.fromFileBytes("\n".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultCostIsArgon2idAt64MiBAndThreePasses() {
    assertThat(ProfileCipher.DEFAULT_KDF).isEqualTo(new KdfParameters(64 * 1024, 3, 1));
    assertThatThrownBy(() -> new KdfParameters(8 * 1024 * 1024, 3, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
