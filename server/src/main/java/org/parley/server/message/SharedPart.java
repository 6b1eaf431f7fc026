package org.parley.server.message;

import java.util.Objects;
import java.util.UUID;

/**
 * The bytes that every envelope of one group upload ends with: the whole ciphertext of a named
 * group message, the ephemeral key and ciphertext of a sealed one (docs/spec/sealed-sender.md, "The
 * multi-recipient upload"). The store keeps them once for all those envelopes, with a count of the
 * envelopes still queued that end with them, and deletes them with the last one; a 1,000-member
 * message is one copy of its ciphertext on disk instead of 1,000.
 *
 * @param id unique across the store: a random UUID per upload
 */
public record SharedPart(String id, byte[] bytes) {
  public SharedPart {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(bytes, "bytes");
  }

  /** A shared part with a fresh id. */
  public static SharedPart of(byte[] bytes) {
    return new SharedPart(UUID.randomUUID().toString(), bytes);
  }
}
