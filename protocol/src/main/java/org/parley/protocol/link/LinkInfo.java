package org.parley.protocol.link;

/**
 * GET /v1/links/{code}, asked by an existing device before it approves: what the new device
 * published. The approver shows {@code identityKey}'s fingerprint, or checks it against the one the
 * link URI carries.
 */
public record LinkInfo(
    LinkCode code, String deviceName, int registrationId, byte[] identityKey, long expiresAt) {}
