package org.parley.crypto;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DeviceCryptoTest {
  private final TestDevice alice = TestDevice.create();
  private final TestDevice bob = TestDevice.create();

  /** The client trusts only keys the key-transparency log proved; here the two know each other. */
  @org.junit.jupiter.api.BeforeEach
  void trustEachOther() throws Exception {
    alice.trusts(bob);
    bob.trusts(alice);
  }

  private static byte[] text(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void sessionFromFullBundleCarriesMessagesBothWays() throws Exception {
    alice.crypto.startSession(bob.bundle(true, true));
    assertThat(alice.crypto.hasSession(bob.address)).isTrue();
    assertThat(bob.crypto.hasSession(alice.address)).isFalse();

    Ciphertext first = alice.crypto.encrypt(bob.address, text("hello bob"));
    assertThat(first.type()).isEqualTo(Ciphertext.Type.PREKEY_MESSAGE);
    assertThat(bob.crypto.decrypt(alice.address, first)).isEqualTo(text("hello bob"));
    assertThat(bob.crypto.hasSession(alice.address)).isTrue();
    assertThat(bob.crypto.trustedIdentity(alice.address)).contains(alice.crypto.identityKey());

    Ciphertext reply = bob.crypto.encrypt(alice.address, text("hi alice"));
    assertThat(reply.type()).isEqualTo(Ciphertext.Type.MESSAGE);
    assertThat(alice.crypto.decrypt(bob.address, reply)).isEqualTo(text("hi alice"));

    Ciphertext second = alice.crypto.encrypt(bob.address, text("second"));
    assertThat(second.type()).isEqualTo(Ciphertext.Type.MESSAGE);
    assertThat(bob.crypto.decrypt(alice.address, second)).isEqualTo(text("second"));
  }

  @Test
  void oneTimePreKeysAreConsumedAndLastResortKyberKeyKept() throws Exception {
    PreKeyBundle bundle = bob.bundle(true, true);
    assertThat(bob.state.preKeyIds()).containsExactly(bundle.preKey().keyId());
    assertThat(bob.state.kyberPreKeyIds())
        .containsExactlyInAnyOrder(bundle.kyberPreKey().keyId(), bob.lastResort().keyId());

    alice.crypto.startSession(bundle);
    bob.crypto.decrypt(alice.address, alice.crypto.encrypt(bob.address, text("x")));

    assertThat(bob.state.preKeyIds()).isEmpty();
    assertThat(bob.state.kyberPreKeyIds()).containsExactly(bob.lastResort().keyId());
  }

  @Test
  void bundleWithoutOneTimeKeysFallsBackToSignedAndLastResortKeys() throws Exception {
    PreKeyBundle bundle = bob.bundle(false, false);
    assertThat(bundle.preKey()).isNull();
    assertThat(bundle.kyberPreKey()).isEqualTo(bob.lastResort());

    alice.crypto.startSession(bundle);
    Ciphertext first = alice.crypto.encrypt(bob.address, text("pq"));
    assertThat(first.type()).isEqualTo(Ciphertext.Type.PREKEY_MESSAGE);
    // the PreKey message carries a 1,568-byte Kyber ciphertext: PQXDH even without one-time keys
    assertThat(first.body().length).isGreaterThan(1568);
    assertThat(bob.crypto.decrypt(alice.address, first)).isEqualTo(text("pq"));
    assertThat(bob.state.kyberPreKeyIds()).containsExactly(bob.lastResort().keyId());

    Ciphertext reply = bob.crypto.encrypt(alice.address, text("ok"));
    assertThat(alice.crypto.decrypt(bob.address, reply)).isEqualTo(text("ok"));
  }

  @Test
  void severalPreKeyMessagesBeforeTheFirstReplyAllDecryptInAnyOrder() throws Exception {
    alice.crypto.startSession(bob.bundle(false, false));
    Ciphertext m1 = alice.crypto.encrypt(bob.address, text("1"));
    Ciphertext m2 = alice.crypto.encrypt(bob.address, text("2"));
    Ciphertext m3 = alice.crypto.encrypt(bob.address, text("3"));
    assertThat(List.of(m1.type(), m2.type(), m3.type()))
        .containsOnly(Ciphertext.Type.PREKEY_MESSAGE);
    // they share one base key with the last-resort Kyber key: not a replay
    assertThat(bob.crypto.decrypt(alice.address, m2)).isEqualTo(text("2"));
    assertThat(bob.crypto.decrypt(alice.address, m1)).isEqualTo(text("1"));
    assertThat(bob.crypto.decrypt(alice.address, m3)).isEqualTo(text("3"));
    assertThat(alice.crypto.remoteRegistrationId(bob.address))
        .hasValue(bob.crypto.registrationId());
    assertThat(bob.crypto.remoteRegistrationId(alice.address))
        .hasValue(alice.crypto.registrationId());
    assertThat(bob.crypto.remoteRegistrationId(TestDevice.create().address)).isEmpty();
  }

  @Test
  void replayedPreKeyMessageAgainstLastResortKeyIsRejected() throws Exception {
    alice.crypto.startSession(bob.bundle(false, false));
    Ciphertext first = alice.crypto.encrypt(bob.address, text("once"));
    assertThat(bob.crypto.decrypt(alice.address, first)).isEqualTo(text("once"));

    // same address, session still there: the message key is spent
    assertThatThrownBy(() -> bob.crypto.decrypt(alice.address, first))
        .isInstanceOf(DuplicateCiphertextException.class);

    // session gone (or another sender replaying it): the base key was already seen
    bob.crypto.deleteSession(alice.address);
    assertThatThrownBy(() -> bob.crypto.decrypt(alice.address, first))
        .isInstanceOfSatisfying(
            DuplicateCiphertextException.class, e -> assertThat(e.isReplay()).isTrue());
    assertThat(bob.crypto.hasSession(alice.address)).isFalse();

    // the same message relabelled as from another address (even one trusted with the same key)
    TestDevice mallory = TestDevice.create();
    bob.crypto.trustIdentity(mallory.address, alice.crypto.identityKey());
    assertThatThrownBy(() -> bob.crypto.decrypt(mallory.address, first))
        .isInstanceOfSatisfying(
            DuplicateCiphertextException.class, e -> assertThat(e.isReplay()).isTrue());
    assertThat(bob.crypto.hasSession(mallory.address)).isFalse();
  }

  @Test
  void preKeyMessageWithOneTimeKyberKeyCannotBeReplayedEither() throws Exception {
    alice.crypto.startSession(bob.bundle(true, true));
    Ciphertext first = alice.crypto.encrypt(bob.address, text("once"));
    bob.crypto.decrypt(alice.address, first);
    bob.crypto.deleteSession(alice.address);
    // the one-time keys are gone, so the message names keys bob no longer has
    assertThatThrownBy(() -> bob.crypto.decrypt(alice.address, first))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void duplicatedMessageIsRejectedAsDuplicate() throws Exception {
    establish();
    Ciphertext message = alice.crypto.encrypt(bob.address, text("dup"));
    assertThat(message.type()).isEqualTo(Ciphertext.Type.MESSAGE);
    bob.crypto.decrypt(alice.address, message);
    assertThatThrownBy(() -> bob.crypto.decrypt(alice.address, message))
        .isInstanceOfSatisfying(
            DuplicateCiphertextException.class, e -> assertThat(e.isReplay()).isFalse());
  }

  @Test
  void tamperedMessageIsRejectedAndChangesNothing() throws Exception {
    establish();
    Ciphertext message = alice.crypto.encrypt(bob.address, text("integrity"));
    for (int i : List.of(5, message.body().length / 2, message.body().length - 1)) {
      byte[] body = message.body();
      body[i] ^= 0x01;
      assertThatThrownBy(
              () ->
                  bob.crypto.decrypt(alice.address, new Ciphertext(Ciphertext.Type.MESSAGE, body)))
          .isInstanceOf(InvalidCiphertextException.class);
    }
    assertThat(bob.crypto.decrypt(alice.address, message)).isEqualTo(text("integrity"));
  }

  @Test
  void tamperedPreKeyMessageIsRejectedAndConsumesNoKeys() throws Exception {
    PreKeyBundle bundle = bob.bundle(true, true);
    alice.crypto.startSession(bundle);
    Ciphertext first = alice.crypto.encrypt(bob.address, text("setup"));
    byte[] body = first.body();
    body[body.length - 3] ^= 0x40;
    assertThatThrownBy(
            () ->
                bob.crypto.decrypt(
                    alice.address, new Ciphertext(Ciphertext.Type.PREKEY_MESSAGE, body)))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThat(bob.state.preKeyIds()).containsExactly(bundle.preKey().keyId());
    assertThat(bob.crypto.hasSession(alice.address)).isFalse();
    assertThat(bob.crypto.trustedIdentity(alice.address)).contains(alice.crypto.identityKey());

    assertThat(bob.crypto.decrypt(alice.address, first)).isEqualTo(text("setup"));
  }

  @Test
  void garbageAndWrongTypeAreInvalid() throws Exception {
    establish();
    Ciphertext message = alice.crypto.encrypt(bob.address, text("typed"));
    assertThatThrownBy(
            () ->
                bob.crypto.decrypt(
                    alice.address, new Ciphertext(Ciphertext.Type.PREKEY_MESSAGE, message.body())))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThatThrownBy(
            () ->
                bob.crypto.decrypt(
                    alice.address, new Ciphertext(Ciphertext.Type.MESSAGE, new byte[] {1, 2, 3})))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void messageWithoutSessionAndEncryptWithoutSession() throws Exception {
    establish();
    Ciphertext message = alice.crypto.encrypt(bob.address, text("lost"));
    bob.crypto.deleteSessions(alice.address.accountId());
    assertThatThrownBy(() -> bob.crypto.decrypt(alice.address, message))
        .isInstanceOf(NoSessionException.class);
    assertThatThrownBy(() -> bob.crypto.encrypt(alice.address, text("?")))
        .isInstanceOfSatisfying(
            NoSessionException.class, e -> assertThat(e.address()).isEqualTo(alice.address));
  }

  @Test
  void bundleWithBadSignedPreKeySignatureIsRejected() {
    PreKeyBundle good = bob.bundle(true, true);
    byte[] signature = good.signedPreKey().signature();
    signature[10] ^= 1;
    PreKeyBundle bad =
        withSignedPreKey(
            good,
            new SignedPreKeyPublic(
                good.signedPreKey().keyId(), good.signedPreKey().publicKey(), signature));
    assertThatThrownBy(() -> alice.crypto.startSession(bad))
        .isInstanceOf(InvalidKeyMaterialException.class);
    assertThat(alice.crypto.hasSession(bob.address)).isFalse();
  }

  @Test
  void bundleSignedByAnotherIdentityIsRejected() {
    PreKeyBundle good = bob.bundle(true, true);
    TestDevice eve = TestDevice.create();
    PreKeyBundle substituted = withSignedPreKey(good, eve.bundle(true, true).signedPreKey());
    assertThatThrownBy(() -> alice.crypto.startSession(substituted))
        .isInstanceOf(InvalidKeyMaterialException.class);
  }

  @Test
  void bundleWithBadKyberSignatureIsRejected() {
    PreKeyBundle good = bob.bundle(true, true);
    byte[] signature = good.kyberPreKey().signature();
    signature[0] ^= 1;
    PreKeyBundle bad =
        new PreKeyBundle(
            good.address(),
            good.registrationId(),
            good.identityKey(),
            good.signedPreKey(),
            good.preKey(),
            new KyberPreKeyPublic(
                good.kyberPreKey().keyId(), good.kyberPreKey().publicKey(), signature));
    assertThatThrownBy(() -> alice.crypto.startSession(bad))
        .isInstanceOf(InvalidKeyMaterialException.class);
    assertThat(alice.crypto.hasSession(bob.address)).isFalse();
  }

  @Test
  void changedIdentityForKnownAddressIsRefusedUntilTrusted() throws Exception {
    establish();
    // bob's device 1 is reinstalled: same address, new identity key
    TestDevice bobAgain = new TestDevice(bob.address);
    PreKeyBundle newBundle = bobAgain.bundle(true, true);

    assertThatThrownBy(() -> alice.crypto.startSession(newBundle))
        .isInstanceOfSatisfying(
            IdentityChangedException.class,
            e -> {
              assertThat(e.address()).isEqualTo(bob.address);
              assertThat(e.presentedKey()).contains(bobAgain.crypto.identityKey());
            });
    // the old session is untouched
    assertThat(alice.crypto.trustedIdentity(bob.address)).contains(bob.crypto.identityKey());
    assertThat(alice.crypto.hasSession(bob.address)).isTrue();

    // a message from the new key is refused too
    bobAgain.trusts(alice);
    bobAgain.crypto.startSession(alice.bundle(true, true));
    Ciphertext fromNewKey = bobAgain.crypto.encrypt(alice.address, text("it's me"));
    // ... and names the key it was made under (libsignal leaves it out; the PreKey message has
    // it), so the client can tell a removed device's message from a forgery
    assertThat(fromNewKey.type()).isEqualTo(Ciphertext.Type.PREKEY_MESSAGE);
    assertThatThrownBy(() -> alice.crypto.decrypt(bob.address, fromNewKey))
        .isInstanceOfSatisfying(
            IdentityChangedException.class,
            e -> assertThat(e.presentedKey()).contains(bobAgain.crypto.identityKey()));

    // a proven key cannot be swapped by trustIdentity; only the explicit replacement does it
    assertThatThrownBy(() -> alice.crypto.trustIdentity(bob.address, bobAgain.crypto.identityKey()))
        .isInstanceOf(IdentityChangedException.class);
    assertThat(alice.crypto.trustedIdentity(bob.address)).contains(bob.crypto.identityKey());
    assertThat(alice.crypto.replaceTrustedIdentity(bob.address, bobAgain.crypto.identityKey()))
        .isTrue();
    assertThat(alice.crypto.hasSession(bob.address)).isFalse();
    assertThat(alice.crypto.decrypt(bob.address, fromNewKey)).isEqualTo(text("it's me"));
    assertThat(alice.crypto.trustIdentity(bob.address, bobAgain.crypto.identityKey())).isFalse();
  }

  @Test
  void nothingIsTrustedOnFirstUse() throws Exception {
    TestDevice carol = TestDevice.create();
    // carol knows alice; alice never trusted carol's key: her first message is refused
    carol.trusts(alice);
    carol.crypto.startSession(alice.bundle(true, true));
    Ciphertext hello = carol.crypto.encrypt(alice.address, text("hello"));
    assertThatThrownBy(() -> alice.crypto.decrypt(carol.address, hello))
        .isInstanceOf(IdentityChangedException.class);
    assertThat(alice.crypto.trustedIdentity(carol.address)).isEmpty();
    assertThat(alice.crypto.hasSession(carol.address)).isFalse();
    // nor can alice start a session from carol's bundle before trusting its key
    assertThatThrownBy(() -> alice.crypto.startSession(carol.bundle(true, true)))
        .isInstanceOf(IdentityChangedException.class);
    assertThat(alice.crypto.hasSession(carol.address)).isFalse();
    // once trusted (the log proved it), the same message decrypts
    assertThat(alice.crypto.trustIdentity(carol.address, carol.crypto.identityKey())).isTrue();
    assertThat(alice.crypto.decrypt(carol.address, hello)).isEqualTo(text("hello"));
  }

  @Test
  void aForgottenDeviceIsNeitherTrustedNorInASession() throws Exception {
    establish();
    alice.crypto.forgetIdentity(bob.address);
    assertThat(alice.crypto.trustedIdentity(bob.address)).isEmpty();
    assertThat(alice.crypto.hasSession(bob.address)).isFalse();
    Ciphertext late = bob.crypto.encrypt(alice.address, text("still here"));
    assertThatThrownBy(() -> alice.crypto.decrypt(bob.address, late))
        .isInstanceOf(SessionException.class);
  }

  @Test
  void stateSurvivesRestart() throws Exception {
    establish();
    IdentityPublicKey bobKey = bob.crypto.identityKey();
    int bobRegistration = bob.crypto.registrationId();
    int lastKyberId = bob.state.lastKeyId(KeyIdSeries.KYBER_PREKEY);

    bob.crypto = DeviceCrypto.initialize(bob.state);
    alice.crypto = DeviceCrypto.initialize(alice.state);

    assertThat(bob.crypto.identityKey()).isEqualTo(bobKey);
    assertThat(bob.crypto.registrationId()).isEqualTo(bobRegistration);
    assertThat(alice.crypto.decrypt(bob.address, bob.crypto.encrypt(alice.address, text("after"))))
        .isEqualTo(text("after"));
    assertThat(bob.crypto.decrypt(alice.address, alice.crypto.encrypt(bob.address, text("again"))))
        .isEqualTo(text("again"));
    // ids keep counting from where they were
    assertThat(bob.crypto.newKyberPreKeys(1).getFirst().keyId())
        .isEqualTo(lastKyberId % DeviceCrypto.MAX_KEY_ID + 1);
  }

  @Test
  void generatedPreKeysVerifyAndHaveSequentialIds() {
    IdentityPublicKey key = bob.crypto.identityKey();
    List<PreKeyPublic> preKeys = bob.crypto.newPreKeys(5);
    List<KyberPreKeyPublic> kyber = bob.crypto.newKyberPreKeys(3);
    SignedPreKeyPublic signed = bob.crypto.newSignedPreKey();

    for (int i = 1; i < preKeys.size(); i++) {
      assertThat(preKeys.get(i).keyId())
          .isEqualTo(preKeys.get(i - 1).keyId() % DeviceCrypto.MAX_KEY_ID + 1);
    }
    assertThat(preKeys)
        .allSatisfy(p -> assertThat(Signatures.isValidEcPublicKey(p.publicKey())).isTrue());
    assertThat(kyber).allSatisfy(k -> assertThat(Signatures.verifyKyberPreKey(key, k)).isTrue());
    assertThat(kyber.getFirst().publicKey()).hasSize(Signatures.KYBER_PUBLIC_KEY_LENGTH);
    assertThat(Signatures.verifySignedPreKey(key, signed)).isTrue();
    assertThat(Signatures.verifySignedPreKey(alice.crypto.identityKey(), signed)).isFalse();
    assertThatThrownBy(() -> bob.crypto.newPreKeys(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyIdsWrapWithinRange() {
    bob.state.storeLastKeyId(KeyIdSeries.ONE_TIME_EC_PREKEY, DeviceCrypto.MAX_KEY_ID - 1);
    assertThat(bob.crypto.newPreKeys(3))
        .extracting(PreKeyPublic::keyId)
        .containsExactly(DeviceCrypto.MAX_KEY_ID, 1, 2);
  }

  @Test
  void signatureForLinkingVerifiesAndPublicKeyShapedMessagesAreRefused() {
    byte[] approval = text("parley-link-approval:v1:device 2");
    byte[] signature = bob.crypto.sign(approval);
    assertThat(Signatures.verify(bob.crypto.identityKey(), approval, signature)).isTrue();
    assertThatThrownBy(() -> bob.crypto.sign(alice.crypto.identityKey().bytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentUseIsSerialized() throws Exception {
    establish();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Ciphertext>>> sent = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        sent.add(
            pool.submit(
                () -> {
                  List<Ciphertext> out = new ArrayList<>();
                  for (int i = 0; i < 25; i++) {
                    out.add(alice.crypto.encrypt(bob.address, text(thread + "-" + i)));
                  }
                  return out;
                }));
      }
      List<Ciphertext> all = new ArrayList<>();
      for (var f : sent) {
        all.addAll(f.get());
      }
      Collections.shuffle(all);
      List<Future<String>> received = new ArrayList<>();
      for (Ciphertext c : all) {
        received.add(pool.submit(() -> new String(bob.crypto.decrypt(alice.address, c), UTF_8)));
      }
      Set<String> plaintexts = new HashSet<>();
      for (var f : received) {
        plaintexts.add(f.get());
      }
      assertThat(plaintexts).hasSize(100).contains("0-0", "3-24");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void storageFailureSurfacesAsItselfAndLosesNothing() throws Exception {
    alice.crypto.startSession(bob.bundle(true, true));
    Ciphertext first = alice.crypto.encrypt(bob.address, text("keep me"));
    for (String failing : List.of("loadPreKey", "isLastResortKyberPreKey", "storeSession")) {
      // a storage error inside a libsignal callback must not look like a bad message, which the
      // client would drop and acknowledge
      ProtocolState broken = failingOn(bob.state, failing);
      DeviceCrypto bobOnBrokenDisk = DeviceCrypto.initialize(broken);
      assertThatThrownBy(() -> bobOnBrokenDisk.decrypt(alice.address, first))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("disk failure in " + failing);
    }
    assertThat(bob.crypto.decrypt(alice.address, first)).isEqualTo(text("keep me"));
  }

  private static ProtocolState failingOn(ProtocolState state, String method) {
    return (ProtocolState)
        java.lang.reflect.Proxy.newProxyInstance(
            ProtocolState.class.getClassLoader(),
            new Class<?>[] {ProtocolState.class},
            (proxy, m, args) -> {
              if (m.getName().equals(method)) {
                throw new IllegalStateException("disk failure in " + method);
              }
              try {
                return m.invoke(state, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private void establish() throws Exception {
    alice.crypto.startSession(bob.bundle(true, true));
    bob.crypto.decrypt(alice.address, alice.crypto.encrypt(bob.address, text("setup")));
    alice.crypto.decrypt(bob.address, bob.crypto.encrypt(alice.address, text("ack")));
  }

  private static PreKeyBundle withSignedPreKey(PreKeyBundle b, SignedPreKeyPublic signed) {
    return new PreKeyBundle(
        b.address(), b.registrationId(), b.identityKey(), signed, b.preKey(), b.kyberPreKey());
  }
}
