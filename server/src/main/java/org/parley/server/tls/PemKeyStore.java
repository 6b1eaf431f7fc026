package org.parley.server.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Loads a PEM certificate chain and PKCS#8 private key (RSA or EC) into an in-memory KeyStore. */
public final class PemKeyStore {
  public static final String ALIAS = "parley";
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private PemKeyStore() {}

  /**
   * @throws IllegalArgumentException if a file cannot be read or does not hold what it should
   */
  public static KeyStore load(Path certificate, Path privateKey, char[] password) {
    try {
      Certificate[] chain = certificates(certificate);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, privateKey(privateKey), password, chain);
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException("cannot load the TLS key store: " + e.getMessage(), e);
    }
  }

  private static Certificate[] certificates(Path file)
      throws IOException, GeneralSecurityException {
    byte[] pem = read(file);
    var certificates =
        CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("no certificate in " + file);
    }
    return certificates.toArray(Certificate[]::new);
  }

  private static PrivateKey privateKey(Path file) throws IOException {
    String pem = new String(read(file), StandardCharsets.US_ASCII);
    Matcher m = PKCS8.matcher(pem);
    if (!m.find()) {
      throw new IllegalArgumentException(
          file
              + " holds no PKCS#8 private key (-----BEGIN PRIVATE KEY-----); convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "RSASSA-PSS"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(file + " holds a private key that is neither RSA nor EC");
  }

  private static byte[] read(Path file) throws IOException {
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    return Files.readAllBytes(file);
  }
}
