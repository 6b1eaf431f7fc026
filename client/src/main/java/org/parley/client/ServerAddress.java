package org.parley.client;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A server address as a person is given it: the server's URL, optionally naming its
 * key-transparency log by the hash of the log's configuration in the fragment, {@code
 * https://chat.example.org#kt=HASH} (docs/spec/keytrans.md, "Naming the log"). With the hash, a new
 * device trusts no log but that one, so a server cannot give it a private log from its first day.
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
}
