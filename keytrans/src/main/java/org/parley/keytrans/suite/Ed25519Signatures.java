package org.parley.keytrans.suite;

import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** Ed25519 (RFC 8032): 32-byte seeds and public keys, 64-byte signatures, via BouncyCastle. */
public final class Ed25519Signatures implements SignatureScheme {

  Ed25519Signatures() {}

  @Override
  public String name() {
    return "Ed25519";
  }

  @Override
  public int publicKeyLength() {
    return Ed25519PublicKeyParameters.KEY_SIZE;
  }

  @Override
  public int signatureLength() {
    return Ed25519PrivateKeyParameters.SIGNATURE_SIZE;
  }

  @Override
  public SignatureSecretKey generateSecretKey(SecureRandom random) {
    return new SignatureSecretKey(new Ed25519PrivateKeyParameters(random).getEncoded());
  }

  @Override
  public SignaturePublicKey publicKey(SignatureSecretKey secretKey) {
    return new SignaturePublicKey(privateKey(secretKey).generatePublicKey().getEncoded());
  }

  @Override
  public byte[] sign(SignatureSecretKey secretKey, byte[] message) {
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, privateKey(secretKey));
    signer.update(message, 0, message.length);
    return signer.generateSignature();
  }

  @Override
  public boolean verify(SignaturePublicKey publicKey, byte[] message, byte[] signature) {
    byte[] pk = publicKey.bytes();
    if (pk.length != publicKeyLength() || signature.length != signatureLength()) {
      return false;
    }
    try {
      Ed25519Signer verifier = new Ed25519Signer();
      verifier.init(false, new Ed25519PublicKeyParameters(pk, 0));
      verifier.update(message, 0, message.length);
      return verifier.verifySignature(signature);
    } catch (RuntimeException e) {
      // BouncyCastle refuses some malformed public keys when they are parsed.
      return false;
    }
  }

  private static Ed25519PrivateKeyParameters privateKey(SignatureSecretKey secretKey) {
    byte[] seed = secretKey.bytes();
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new IllegalArgumentException("Ed25519 secret key must be 32 bytes");
    }
    return new Ed25519PrivateKeyParameters(seed, 0);
  }
}
