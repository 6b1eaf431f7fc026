package org.parley.protocol.sealed;

import org.parley.protocol.Validation;

/**
 * PUT /v1/devices/me/delivery-credential: the random credential this device hands to the contacts
 * it accepts, so that they may send it sealed envelopes (docs/spec/sealed-sender.md). The server
 * keeps only its SHA-256 hash; a new one replaces the old, which stops working at once.
 */
public record DeliveryCredential(byte[] credential) {
  /** Bytes in a credential. */
  public static final int LENGTH = 32;

  public DeliveryCredential {
    credential = check(credential, "credential");
  }

  /** A copy of {@code credential}, checked to be one: exactly {@link #LENGTH} bytes. */
  static byte[] check(byte[] credential, String field) {
    return Validation.bytes(credential, field, LENGTH, LENGTH);
  }
}
