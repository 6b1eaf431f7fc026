package org.parley.protocol.kt;

import org.parley.protocol.Validation;

/**
 * GET /v1/kt/config: the log's encoded {@code Configuration} (what a client pins on first use, or
 * checks against the hash it was given), its cipher suite, the publication epoch in milliseconds
 * (not signed: a client bounds it and keeps the first it saw) and the log's current size.
 */
@SuppressWarnings("ArrayRecordComponent") // wire bytes, as every protocol record: copied in and out
public record KtConfig(byte[] configuration, String cipherSuite, long epochMillis, long treeSize) {
  public KtConfig {
    configuration = Validation.required(configuration, "configuration").clone();
  }

  @Override
  public byte[] configuration() {
    return configuration.clone();
  }
}
