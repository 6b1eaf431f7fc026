package org.parley.crypto;

import java.util.Objects;

/**
 * What a sender needs to start a session with one device: its address, registration id, identity
 * key, signed EC prekey, an optional one-time EC prekey and a Kyber-1024 prekey (one-time, or the
 * last-resort one when the server has run out). PQXDH is always used, so the Kyber prekey is
 * mandatory.
 *
 * @param preKey the one-time EC prekey, or {@code null} when the server had none left
 */
public record PreKeyBundle(
    RemoteAddress address,
    int registrationId,
    IdentityPublicKey identityKey,
    SignedPreKeyPublic signedPreKey,
    PreKeyPublic preKey,
    KyberPreKeyPublic kyberPreKey) {
  public PreKeyBundle {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(identityKey, "identityKey");
    Objects.requireNonNull(signedPreKey, "signedPreKey");
    Objects.requireNonNull(kyberPreKey, "kyberPreKey");
  }
}
