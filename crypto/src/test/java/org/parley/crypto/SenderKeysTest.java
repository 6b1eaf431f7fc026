package org.parley.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Sender keys through {@link SenderKeys}: a chain reaches whoever is given its distribution, reads
 * from then on only, is refused when forged or replayed, and a new chain leaves behind a device not
 * given it (the removed member of docs/spec/groups.md).
 */
class SenderKeysTest {
  private final TestDevice alice = TestDevice.create();
  private final TestDevice bob = TestDevice.create();
  private final TestDevice carol = TestDevice.create();

  @Test
  void aChainGivenToAMemberDecryptsWhatIsSentOnIt() throws Exception {
    UUID chain = UUID.randomUUID();
    byte[] distribution = alice.crypto.senderKeys().distribution(alice.address, chain);
    assertThat(SenderKeys.distributionIdOfDistribution(distribution)).isEqualTo(chain);
    assertThat(bob.crypto.senderKeys().process(alice.address, distribution)).isEqualTo(chain);

    byte[] message = alice.crypto.senderKeys().encrypt(alice.address, chain, bytes("hello"));

    assertThat(SenderKeys.distributionId(message)).isEqualTo(chain);
    assertThat(bob.crypto.senderKeys().decrypt(alice.address, message)).isEqualTo(bytes("hello"));
    assertThatThrownBy(() -> bob.crypto.senderKeys().decrypt(alice.address, message))
        .isInstanceOf(DuplicateCiphertextException.class);
  }

  @Test
  void aMemberGivenTheChainLaterReadsOnlyWhatFollows() throws Exception {
    UUID chain = UUID.randomUUID();
    bob.crypto
        .senderKeys()
        .process(alice.address, alice.crypto.senderKeys().distribution(alice.address, chain));
    byte[] before = alice.crypto.senderKeys().encrypt(alice.address, chain, bytes("before"));
    carol
        .crypto
        .senderKeys()
        .process(alice.address, alice.crypto.senderKeys().distribution(alice.address, chain));
    byte[] after = alice.crypto.senderKeys().encrypt(alice.address, chain, bytes("after"));

    assertThat(bob.crypto.senderKeys().decrypt(alice.address, before)).isEqualTo(bytes("before"));
    assertThatThrownBy(() -> carol.crypto.senderKeys().decrypt(alice.address, before))
        .isInstanceOf(DuplicateCiphertextException.class); // older than the chain it was given
    assertThat(carol.crypto.senderKeys().decrypt(alice.address, after)).isEqualTo(bytes("after"));
  }

  @Test
  void aNewChainLeavesBehindADeviceNotGivenIt() throws Exception {
    UUID old = UUID.randomUUID();
    byte[] oldDistribution = alice.crypto.senderKeys().distribution(alice.address, old);
    bob.crypto.senderKeys().process(alice.address, oldDistribution);
    carol.crypto.senderKeys().process(alice.address, oldDistribution);
    UUID rotated = UUID.randomUUID();
    bob.crypto
        .senderKeys()
        .process(alice.address, alice.crypto.senderKeys().distribution(alice.address, rotated));

    byte[] message = alice.crypto.senderKeys().encrypt(alice.address, rotated, bytes("no carol"));

    assertThat(bob.crypto.senderKeys().decrypt(alice.address, message))
        .isEqualTo(bytes("no carol"));
    assertThatThrownBy(() -> carol.crypto.senderKeys().decrypt(alice.address, message))
        .isInstanceOf(NoSenderKeyException.class)
        .satisfies(e -> assertThat(((NoSenderKeyException) e).distributionId()).isEqualTo(rotated));
  }

  @Test
  void aForgedOrTamperedMessageIsInvalidNeverAnError() throws Exception {
    UUID chain = UUID.randomUUID();
    bob.crypto
        .senderKeys()
        .process(alice.address, alice.crypto.senderKeys().distribution(alice.address, chain));
    // carol makes her own chain under alice's distribution id and passes it off as alice's
    carol.crypto.senderKeys().distribution(carol.address, chain);
    byte[] forged = carol.crypto.senderKeys().encrypt(carol.address, chain, bytes("forged"));
    byte[] tampered = alice.crypto.senderKeys().encrypt(alice.address, chain, bytes("real"));
    tampered[tampered.length - 70] ^= 1; // inside the ciphertext, under the signature

    assertThatThrownBy(() -> bob.crypto.senderKeys().decrypt(alice.address, forged))
        .isInstanceOfAny(InvalidCiphertextException.class, NoSenderKeyException.class);
    assertThatThrownBy(() -> bob.crypto.senderKeys().decrypt(alice.address, tampered))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThatThrownBy(() -> bob.crypto.senderKeys().decrypt(alice.address, bytes("junk")))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThatThrownBy(() -> bob.crypto.senderKeys().process(alice.address, bytes("junk")))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void aForgottenChainNoLongerDecrypts() throws Exception {
    UUID chain = UUID.randomUUID();
    bob.crypto
        .senderKeys()
        .process(alice.address, alice.crypto.senderKeys().distribution(alice.address, chain));
    byte[] message = alice.crypto.senderKeys().encrypt(alice.address, chain, bytes("late"));

    bob.crypto.senderKeys().forget(alice.address, chain);

    assertThatThrownBy(() -> bob.crypto.senderKeys().decrypt(alice.address, message))
        .isInstanceOf(NoSenderKeyException.class);
  }

  @Test
  void sendingOnAChainNeverMadeIsABug() {
    assertThatThrownBy(
            () -> alice.crypto.senderKeys().encrypt(alice.address, UUID.randomUUID(), bytes("x")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLabelledMessageOfAKeysLengthIsSigned() {
    byte[] labelled = new byte[Signatures.EC_PUBLIC_KEY_LENGTH];
    labelled[0] = 'p';
    byte[] signature = alice.crypto.sign(labelled);
    assertThat(Signatures.verify(alice.crypto.identityKey(), labelled, signature)).isTrue();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
