package org.parley.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.parley.protocol.AccountId;
import org.parley.protocol.kt.DeviceApprovalStatement;

class SignaturesTest {
  private final DeviceCrypto signer = DeviceCrypto.initialize(new InMemoryProtocolState());
  private final DeviceCrypto other = DeviceCrypto.initialize(new InMemoryProtocolState());
  private final byte[] message = "parley-link-approval:v1:abc".getBytes(UTF_8);

  @Test
  void verifiesOnlyTheRightKeyMessageAndSignature() {
    byte[] signature = signer.sign(message);
    assertThat(Signatures.verify(signer.identityKey(), message, signature)).isTrue();

    assertThat(Signatures.verify(other.identityKey(), message, signature)).isFalse();
    byte[] otherMessage = message.clone();
    otherMessage[0] ^= 1;
    assertThat(Signatures.verify(signer.identityKey(), otherMessage, signature)).isFalse();
    byte[] badSignature = signature.clone();
    badSignature[signature.length - 1] ^= 1;
    assertThat(Signatures.verify(signer.identityKey(), message, badSignature)).isFalse();
    assertThat(Signatures.verify(signer.identityKey(), message, Arrays.copyOf(signature, 63)))
        .isFalse();
    assertThat(Signatures.verify(signer.identityKey(), message, new byte[0])).isFalse();
    assertThat(Signatures.verify(signer.identityKey(), null, signature)).isFalse();
  }

  @Test
  void deviceApprovalsBindApproverAccountAndApprovedKey() {
    AccountId account = AccountId.random();
    byte[] approved = other.identityKey().bytes();
    byte[] approval = signer.approveDevice(account, other.identityKey());

    assertThat(approval).hasSize(64);
    assertThat(
            Signatures.verify(
                signer.identityKey(), DeviceApprovalStatement.bytes(account, approved), approval))
        .isTrue();
    assertThat(Signatures.verifyDeviceApproval(signer.identityKey(), account, approved, approval))
        .isTrue();

    assertThat(Signatures.verifyDeviceApproval(other.identityKey(), account, approved, approval))
        .as("another approver")
        .isFalse();
    assertThat(
            Signatures.verifyDeviceApproval(
                signer.identityKey(), AccountId.random(), approved, approval))
        .as("another account")
        .isFalse();
    assertThat(
            Signatures.verifyDeviceApproval(
                signer.identityKey(), account, signer.identityKey().bytes(), approval))
        .as("another key")
        .isFalse();
    assertThat(
            Signatures.verifyDeviceApproval(signer.identityKey(), account, new byte[5], approval))
        .isFalse();
    assertThat(Signatures.verifyDeviceApproval(signer.identityKey(), account, null, approval))
        .isFalse();
    assertThat(Signatures.verifyDeviceApproval(signer.identityKey(), account, approved, null))
        .isFalse();
    // a link approval (another statement) is no device approval
    assertThat(
            Signatures.verifyDeviceApproval(
                signer.identityKey(), account, approved, signer.sign(message)))
        .isFalse();
  }

  @Test
  void prekeySignaturesAreCheckedAgainstTheDeviceKey() {
    SignedPreKeyPublic signed = signer.newSignedPreKey();
    KyberPreKeyPublic kyber = signer.newLastResortKyberPreKey();
    assertThat(Signatures.verifySignedPreKey(signer.identityKey(), signed)).isTrue();
    assertThat(Signatures.verifyKyberPreKey(signer.identityKey(), kyber)).isTrue();
    assertThat(Signatures.verifySignedPreKey(other.identityKey(), signed)).isFalse();
    assertThat(Signatures.verifyKyberPreKey(other.identityKey(), kyber)).isFalse();

    // a signature moved onto another key of the right shape
    SignedPreKeyPublic moved =
        new SignedPreKeyPublic(signed.keyId(), other.identityKey().bytes(), signed.signature());
    assertThat(Signatures.verifySignedPreKey(signer.identityKey(), moved)).isFalse();
    // a Kyber signature presented with an EC key's bytes
    KyberPreKeyPublic swapped =
        new KyberPreKeyPublic(kyber.keyId(), signed.publicKey(), signed.signature());
    assertThat(Signatures.verifyKyberPreKey(signer.identityKey(), swapped)).isFalse();
  }

  @Test
  void keyShapesAreValidated() throws Exception {
    byte[] ec = signer.identityKey().bytes();
    byte[] kyber = signer.newKyberPreKeys(1).getFirst().publicKey();
    assertThat(Signatures.isValidEcPublicKey(ec)).isTrue();
    assertThat(Signatures.isValidKyberPublicKey(kyber)).isTrue();

    assertThat(Signatures.isValidEcPublicKey(kyber)).isFalse();
    assertThat(Signatures.isValidKyberPublicKey(ec)).isFalse();
    assertThat(Signatures.isValidEcPublicKey(Arrays.copyOf(ec, 32))).isFalse();
    assertThat(Signatures.isValidEcPublicKey(null)).isFalse();
    byte[] wrongType = ec.clone();
    wrongType[0] = 0x06;
    assertThat(Signatures.isValidEcPublicKey(wrongType)).isFalse();
    assertThat(Signatures.isValidKyberPublicKey(Arrays.copyOf(kyber, kyber.length - 1))).isFalse();

    assertThatThrownBy(() -> Signatures.requireValidKyberPublicKey(ec))
        .isInstanceOf(InvalidKeyMaterialException.class);
    assertThatThrownBy(() -> IdentityPublicKey.parse(new byte[33]))
        .isInstanceOf(InvalidKeyMaterialException.class);
    assertThatThrownBy(() -> new IdentityPublicKey(new byte[5]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(IdentityPublicKey.parse(ec)).isEqualTo(signer.identityKey());
  }
}
