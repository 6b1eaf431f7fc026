package org.parley.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.protocol.Handle;

/**
 * Sealed sender through {@link SealedSender} and {@link SenderCertificates}: a recipient reads the
 * claimed sender without decrypting anything, then decrypts only for exactly that proven sender; a
 * certificate under another root, expired, or naming another key or device is refused.
 */
class SealedSenderTest {
  private static final long NOW = 1_790_000_000_000L;
  private static final Handle ALICE = Handle.of("alice@example.org");

  private final TestDevice alice = TestDevice.create();
  private final TestDevice bob = TestDevice.create();
  private final SenderCertificates server =
      new SenderCertificates(
          SenderCertificates.newPrivateKey(), SenderCertificates.newPrivateKey());

  private byte[] aliceCertificate() {
    return server.issue(
        alice.address.accountId(),
        alice.address.deviceId(),
        ALICE,
        alice.crypto.identityKey(),
        NOW + 86_400_000);
  }

  private byte[] sealedFromAlice(byte[] certificate, String text) throws Exception {
    if (!alice.crypto.hasSession(bob.address)) {
      alice.trusts(bob);
      alice.crypto.startSession(bob.bundle(true, true));
    }
    return alice
        .crypto
        .sealedSender()
        .encrypt(alice.address, bob.address, certificate, text.getBytes(UTF_8));
  }

  @Test
  void theRecipientReadsTheClaimedSenderAndTheMessageInsideUndecrypted() throws Exception {
    byte[] envelope = sealedFromAlice(aliceCertificate(), "hello");
    SealedSender.Opened opened =
        bob.crypto.sealedSender().open(bob.address, server.trustRoot(), envelope, NOW);
    assertThat(opened.sender().address()).isEqualTo(alice.address);
    assertThat(opened.sender().handle()).isEqualTo(ALICE);
    assertThat(opened.sender().key()).isEqualTo(alice.crypto.identityKey());
    assertThat(opened.kind()).isEqualTo(SealedSender.Kind.PREKEY_MESSAGE);
    assertThat(bob.crypto.hasSession(alice.address)).isFalse(); // opening decrypted nothing

    bob.trusts(alice);
    Ciphertext inside = new Ciphertext(Ciphertext.Type.PREKEY_MESSAGE, opened.content());
    assertThat(new String(bob.crypto.decrypt(alice.address, inside), UTF_8)).isEqualTo("hello");
    assertThatThrownBy(() -> bob.crypto.decrypt(alice.address, inside))
        .isInstanceOf(DuplicateCiphertextException.class);
  }

  @Test
  void aCertificateUnderAnotherRootOrExpiredIsRefused() throws Exception {
    byte[] envelope = sealedFromAlice(aliceCertificate(), "hello");
    SenderCertificates other =
        new SenderCertificates(
            SenderCertificates.newPrivateKey(), SenderCertificates.newPrivateKey());
    assertThatThrownBy(
            () -> bob.crypto.sealedSender().open(bob.address, other.trustRoot(), envelope, NOW))
        .isInstanceOf(InvalidCiphertextException.class)
        .hasMessageContaining("trust root");
    assertThatThrownBy(
            () ->
                bob.crypto
                    .sealedSender()
                    .open(bob.address, server.trustRoot(), envelope, NOW + 86_400_001))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void aCertificateTheServerMadeForAnotherKeyClaimsThatKeyAndDecryptsUnderNoOther()
      throws Exception {
    // the server certifies alice's device with a key of its own and seals a message under it
    TestDevice ghost = new TestDevice(alice.address);
    ghost.trusts(bob);
    ghost.crypto.startSession(bob.bundle(true, true));
    byte[] forged =
        server.issue(
            alice.address.accountId(),
            alice.address.deviceId(),
            ALICE,
            ghost.crypto.identityKey(),
            NOW + 86_400_000);
    byte[] envelope =
        ghost
            .crypto
            .sealedSender()
            .encrypt(ghost.address, bob.address, forged, "hi".getBytes(UTF_8));
    SealedSender.Opened opened =
        bob.crypto.sealedSender().open(bob.address, server.trustRoot(), envelope, NOW);
    // what the caller compares with the proven key: the certificate's, never alice's
    assertThat(opened.sender().key()).isEqualTo(ghost.crypto.identityKey());

    bob.trusts(alice); // the log proves alice's real key
    assertThatThrownBy(
            () ->
                bob.crypto.decrypt(
                    alice.address,
                    new Ciphertext(Ciphertext.Type.PREKEY_MESSAGE, opened.content())))
        .isInstanceOf(IdentityChangedException.class);
    assertThat(bob.crypto.hasSession(alice.address)).isFalse();
  }

  @Test
  void aDamagedEnvelopeIsInvalid() throws Exception {
    byte[] envelope = sealedFromAlice(aliceCertificate(), "hello");
    envelope[envelope.length / 2] ^= 1;
    assertThatThrownBy(
            () -> bob.crypto.sealedSender().open(bob.address, server.trustRoot(), envelope, NOW))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThatThrownBy(
            () ->
                bob.crypto
                    .sealedSender()
                    .open(bob.address, server.trustRoot(), new byte[] {1, 2, 3}, NOW))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void aDeviceSealsOnlyWithACertificateOfItsOwnUnderThePinnedRoot() {
    assertThat(
            alice
                .crypto
                .sealedSender()
                .isOwnCertificate(
                    server.trustRoot(), aliceCertificate(), alice.address, ALICE, NOW))
        .isTrue();
    SenderCertificates other =
        new SenderCertificates(
            SenderCertificates.newPrivateKey(), SenderCertificates.newPrivateKey());
    byte[] underAnotherRoot =
        other.issue(
            alice.address.accountId(),
            alice.address.deviceId(),
            ALICE,
            alice.crypto.identityKey(),
            NOW + 86_400_000);
    byte[] ofAnotherKey =
        server.issue(
            alice.address.accountId(),
            alice.address.deviceId(),
            ALICE,
            bob.crypto.identityKey(),
            NOW + 86_400_000);
    byte[] ofAnotherHandle =
        server.issue(
            alice.address.accountId(),
            alice.address.deviceId(),
            Handle.of("mallory@example.org"),
            alice.crypto.identityKey(),
            NOW + 86_400_000);
    for (byte[] wrong :
        java.util.List.of(underAnotherRoot, ofAnotherKey, ofAnotherHandle, new byte[] {1, 2})) {
      assertThat(
              alice
                  .crypto
                  .sealedSender()
                  .isOwnCertificate(server.trustRoot(), wrong, alice.address, ALICE, NOW))
          .isFalse();
    }
    assertThat(
            alice
                .crypto
                .sealedSender()
                .isOwnCertificate(
                    server.trustRoot(), aliceCertificate(), alice.address, ALICE, NOW + 90_000_000))
        .as("expired")
        .isFalse();
  }
}
