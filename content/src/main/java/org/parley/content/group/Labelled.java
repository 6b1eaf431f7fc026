package org.parley.content.group;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.parley.protocol.cbor.ByteString;

/** SHA-256 over a label, a zero octet and the bytes: the group hashes of docs/spec/groups.md. */
final class Labelled {
  private Labelled() {}

  static ByteString sha256(String label, byte[] bytes) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(label.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      return ByteString.of(sha.digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
