package org.parley.protocol.sealed;

import org.parley.protocol.Validation;

/**
 * GET /v1/certificate/sender: a libsignal sender certificate for the calling device (its account,
 * device, handle and identity key) and when it expires, ms since the epoch.
 */
public record SenderCertificateResponse(byte[] certificate, long expires) {
  public SenderCertificateResponse {
    certificate = Validation.bytes(certificate, "certificate", 1, 4096);
  }
}
