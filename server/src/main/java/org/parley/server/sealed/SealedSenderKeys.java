package org.parley.server.sealed;

import java.nio.file.Path;
import org.parley.crypto.SenderCertificates;
import org.parley.server.storage.KeyFiles;

/**
 * The sealed-sender keys in {@code <dataDir>/sealed-sender/}: {@code trust-root.key}, whose public
 * half clients pin, and {@code signing.key}, the online key that signs sender certificates under a
 * server certificate the trust root signs at each start.
 */
public final class SealedSenderKeys {
  static final KeyFiles.Kind KEYS =
      new KeyFiles.Kind(
          "sealed-sender",
          "sealed-sender",
          "trust-root.key",
          "signing.key",
          "a new trust root makes every client that pinned the old one refuse sealed envelopes");

  private static final int PRIVATE_KEY_LENGTH = 32;

  private SealedSenderKeys() {}

  /** Reads the keys, or makes and stores them on the first start. */
  public static SenderCertificates load(Path dataDir) {
    KeyFiles.Keys keys =
        KeyFiles.loadOrCreate(
            dataDir,
            KEYS,
            PRIVATE_KEY_LENGTH,
            SenderCertificates::newPrivateKey,
            PRIVATE_KEY_LENGTH,
            SenderCertificates::newPrivateKey);
    return new SenderCertificates(keys.first(), keys.second());
  }
}
