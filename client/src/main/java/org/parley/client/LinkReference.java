package org.parley.client;

import java.util.Objects;
import org.parley.protocol.link.LinkCode;

/**
 * What the user gave to approve a link: the bare code, or the link URI {@code
 * parley://link/<code>#<fingerprint>} that also carries the new device's key fingerprint.
 *
 * @param fingerprint null when only the code was given
 */
record LinkReference(LinkCode code, String fingerprint) {
  static final String URI_PREFIX = "parley://link/";

  static String uri(LinkCode code, String fingerprint) {
    return URI_PREFIX + code.value() + "#" + fingerprint;
  }

  /**
   * @throws ClientException if it is neither a code nor a link URI
   */
  static LinkReference parse(String codeOrUri) {
    Objects.requireNonNull(codeOrUri, "codeOrUri");
    String text = codeOrUri.strip();
    String fingerprint = null;
    if (text.regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) {
      text = text.substring(URI_PREFIX.length());
      int hash = text.indexOf('#');
      if (hash < 0 || hash == text.length() - 1) {
        throw new ClientException(
            "a link URI looks like parley://link/7KQ2-M9XD-4TNB-0WHE#<fingerprint>");
      }
      fingerprint = text.substring(hash + 1);
      text = text.substring(0, hash);
      if (fingerprint.length() != Fingerprints.LENGTH) {
        throw new ClientException("the link URI's fingerprint must be 22 characters");
      }
    }
    try {
      return new LinkReference(LinkCode.of(text), fingerprint);
    } catch (IllegalArgumentException e) {
      throw new ClientException(e.getMessage());
    }
  }
}
