package org.parley.client;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A server address as a person is given it: the server's URL, optionally naming its
 * key-transparency log by the hash of the log's configuration in the fragment, {@code
 * https://chat.example.org#kt=HASH} (docs/spec/keytrans.md, "Naming the log"). With the hash, a new
 * device trusts no log but that one, so a server cannot give it a private log from its first day.
 * The static methods read and check the URL part as a command line gives it.
 */
public record ServerAddress(URI base, Optional<String> logHash) {
  private static final Pattern HASH = Pattern.compile("[A-Za-z0-9_-]{43}");

  public ServerAddress {
    if (base.getFragment() != null) {
      throw new IllegalArgumentException("the base URL has no fragment");
    }
  }

  /**
   * Reads an address; the fragment, if any, must be {@code kt=} and a 43-character base64url
   * SHA-256 hash.
   *
   * @throws ClientException if the fragment is anything else
   */
  public static ServerAddress parse(URI address) {
    String fragment = address.getRawFragment();
    if (fragment == null) {
      return new ServerAddress(address, Optional.empty());
    }
    if (!fragment.startsWith("kt=") || !HASH.matcher(fragment.substring(3)).matches()) {
      throw new ClientException(
          "the server address ends in #"
              + fragment
              + ", which is not a "
              + "key-transparency log hash (#kt= and 43 base64url characters, as parley server and "
              + "parley whoami print it)");
    }
    String text = address.toString();
    return new ServerAddress(
        URI.create(text.substring(0, text.indexOf('#'))), Optional.of(fragment.substring(3)));
  }

  /** The address to give others: the base URL with {@code #kt=HASH}. */
  public static String withLogHash(URI base, String logHash) {
    return base + "#kt=" + logHash;
  }

  /**
   * Checks and normalizes a server URL: http or https, a host, no query; the trailing slash is
   * dropped.
   *
   * @throws ClientException if it is not such a URL
   */
  public static URI normalize(URI url) {
    Objects.requireNonNull(url, "url");
    String scheme = url.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || url.getHost() == null
        || url.getRawQuery() != null) {
      throw new ClientException(
          "the server URL must look like https://example.org or http://127.0.0.1:8080: " + url);
    }
    String text = url.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    return URI.create(text);
  }

  /**
   * Refuses plain {@code http://} to a host that is not this machine's loopback address unless
   * {@code insecureAllowed}: the device's password, and who talks to whom, would cross the network
   * in the clear (messages stay end-to-end encrypted).
   *
   * @throws ClientException if it is such an address and not allowed
   */
  public static URI requireTls(URI url, boolean insecureAllowed) {
    if (url.getScheme().equalsIgnoreCase("http")
        && !insecureAllowed
        && !isLoopback(url.getHost())) {
      throw new ClientException(
          "plain http:// to "
              + url.getHost()
              + " would send this device's"
              + " password and its contacts in the clear. Use https://, or add --insecure-http if"
              + " this network is yours");
    }
    return url;
  }

  private static boolean isLoopback(String host) {
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    // literal addresses only: a name is never resolved here (DNS could answer anything)
    if (h.matches("[0-9.]+") || h.contains(":")) {
      try {
        return java.net.InetAddress.getByName(h).isLoopbackAddress(); // a literal: no look-up
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }
    return false;
  }

  /** Parses a server URL given as text; see {@link #normalize(URI)}. */
  public static URI parseUrl(String url) {
    try {
      return normalize(new URI(Objects.requireNonNull(url, "url").strip()));
    } catch (java.net.URISyntaxException e) {
      throw new ClientException(
          "the server URL must look like https://example.org or http://127.0.0.1:8080: " + url);
    }
  }
}
