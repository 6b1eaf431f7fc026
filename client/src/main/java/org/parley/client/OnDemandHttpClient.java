package org.parley.client;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;
import org.parley.client.transport.ServerApi;

/**
 * A device's HTTP client, made when the first request needs it: building one loads the JDK's TLS
 * trust store and HTTP machinery, a fifth of a profile's first open in a fresh JVM, which what
 * never reaches the server (history, whoami, the outbox) does not need. Given CA certificates, it
 * is made at once, so that a bad file is refused when the profile opens, as before.
 */
final class OnDemandHttpClient {
  private final Optional<Path> caCertificates;
  private HttpClient client; // guarded by this
  private HttpClient sealed; // guarded by this
  private boolean closed; // guarded by this

  OnDemandHttpClient(Optional<Path> caCertificates) {
    this.caCertificates = caCertificates;
    if (caCertificates.isPresent()) {
      client = ServerApi.newHttpClient(caCertificates);
    }
  }

  /**
   * The client, made now if it was not yet.
   *
   * @throws ClientException if the profile was closed
   */
  synchronized HttpClient get() {
    if (closed) {
      throw new ClientException("this profile is closed");
    }
    if (client == null) {
      client = ServerApi.newHttpClient(caCertificates);
    }
    return client;
  }

  /**
   * A second client, for sealed sends only: its connections never carry this device's credential,
   * so the server cannot tie a sealed send to the device by the connection it came on.
   */
  synchronized HttpClient sealed() {
    if (closed) {
      throw new ClientException("this profile is closed");
    }
    if (sealed == null) {
      sealed = ServerApi.newHttpClient(caCertificates);
    }
    return sealed;
  }

  /** Stops the clients' selector threads, if made; a listener still open fails and stops. */
  synchronized void shutdownNow() {
    closed = true;
    if (client != null) {
      client.shutdownNow();
    }
    if (sealed != null) {
      sealed.shutdownNow();
    }
  }
}
