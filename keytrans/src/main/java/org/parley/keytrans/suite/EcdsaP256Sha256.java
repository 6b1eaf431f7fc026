package org.parley.keytrans.suite;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * ECDSA over P-256 with SHA-256 as the draft's KT_128_SHA256_P256 specifies: public keys are SEC 1
 * uncompressed points (65 bytes), signatures r || s as two 32-byte big-endian integers. Nonces are
 * deterministic (RFC 6979), so signing needs no randomness.
 */
public final class EcdsaP256Sha256 implements SignatureScheme {

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(P256);
  private static final BigInteger N = P256.getN();

  EcdsaP256Sha256() {}

  @Override
  public String name() {
    return "ECDSA-P256-SHA256";
  }

  @Override
  public int publicKeyLength() {
    return 65;
  }

  @Override
  public int signatureLength() {
    return 64;
  }

  @Override
  public SignatureSecretKey generateSecretKey(SecureRandom random) {
    BigInteger d =
        BigIntegers.createRandomInRange(BigInteger.ONE, N.subtract(BigInteger.ONE), random);
    return new SignatureSecretKey(BigIntegers.asUnsignedByteArray(32, d));
  }

  @Override
  public SignaturePublicKey publicKey(SignatureSecretKey secretKey) {
    ECPoint q = new FixedPointCombMultiplier().multiply(DOMAIN.getG(), scalar(secretKey));
    return new SignaturePublicKey(q.getEncoded(false));
  }

  @Override
  public byte[] sign(SignatureSecretKey secretKey, byte[] message) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(scalar(secretKey), DOMAIN));
    BigInteger[] rs = signer.generateSignature(sha256(message));
    byte[] signature = new byte[64];
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[0]), 0, signature, 0, 32);
    System.arraycopy(BigIntegers.asUnsignedByteArray(32, rs[1]), 0, signature, 32, 32);
    return signature;
  }

  @Override
  public boolean verify(SignaturePublicKey publicKey, byte[] message, byte[] signature) {
    byte[] pk = publicKey.bytes();
    if (pk.length != 65 || pk[0] != 0x04 || signature.length != 64) {
      return false;
    }
    ECPublicKeyParameters key;
    try {
      // decodePoint and ECPublicKeyParameters reject points off the curve and the identity.
      key = new ECPublicKeyParameters(DOMAIN.getCurve().decodePoint(pk), DOMAIN);
    } catch (RuntimeException e) {
      return false;
    }
    BigInteger r = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 0, 32));
    BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(signature, 32, 64));
    ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, key);
    // verifySignature itself rejects r or s outside [1, n-1].
    return verifier.verifySignature(sha256(message), r, s);
  }

  private static BigInteger scalar(SignatureSecretKey secretKey) {
    byte[] bytes = secretKey.bytes();
    if (bytes.length != 32) {
      throw new IllegalArgumentException("P-256 secret key must be 32 bytes");
    }
    BigInteger d = new BigInteger(1, bytes);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new IllegalArgumentException("P-256 secret key must be in [1, n-1]");
    }
    return d;
  }

  private static byte[] sha256(byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
