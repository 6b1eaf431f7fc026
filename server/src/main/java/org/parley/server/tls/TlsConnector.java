package org.parley.server.tls;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** Builds Jetty's HTTPS connector from PEM files. */
public final class TlsConnector {
  private TlsConnector() {}

  public static ServerConnector create(
      Server server,
      HttpConfiguration http,
      Path certificate,
      Path privateKey,
      String host,
      int port) {
    // The key store lives only in memory; its password guards nothing but is required.
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String password = Base64.getEncoder().encodeToString(random);
    KeyStore keyStore = PemKeyStore.load(certificate, privateKey, password.toCharArray());
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore);
    ssl.setKeyStorePassword(password);
    ssl.setCertAlias(PemKeyStore.ALIAS);
    ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false); // development certificates rarely name 127.0.0.1
    https.addCustomizer(customizer);
    ServerConnector connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }
}
