package org.parley.client;

/** No HTTP answer at all: connection refused, DNS failure, TLS failure or a timeout. */
public final class ServerUnreachableException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final String serverUrl;

  public ServerUnreachableException(String serverUrl, Throwable cause) {
    super("cannot reach the server at " + serverUrl + ": " + describe(cause), cause);
    this.serverUrl = serverUrl;
  }

  public String serverUrl() {
    return serverUrl;
  }

  private static String describe(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (t instanceof java.net.http.HttpTimeoutException) {
        return "timed out";
      }
      if (t instanceof java.nio.channels.UnresolvedAddressException
          || t instanceof java.net.UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof javax.net.ssl.SSLException) {
        for (Throwable c = t; c != null; c = c.getCause()) {
          if (c instanceof java.security.cert.CertificateException
              || c instanceof java.security.cert.CertPathBuilderException
              || c instanceof java.security.cert.CertPathValidatorException) {
            return "TLS failed: its certificate is not one this device trusts (for a server with"
                + " a private CA, trust that CA's certificate with parley --ca-cert FILE)";
          }
        }
        return "TLS failed (" + t.getMessage() + ")";
      }
    }
    Throwable t = cause;
    while (t.getCause() != null && (t.getMessage() == null || t.getMessage().isBlank())) {
      t = t.getCause();
    }
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }
}
