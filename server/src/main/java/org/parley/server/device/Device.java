package org.parley.server.device;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * A device as the server keeps it. {@code credential} is the salted hash of its password, never
 * the password.
 */
public record Device(
    AccountId accountId,
    DeviceId id,
    String name,
    int registrationId,
    byte[] identityKey,
    PasswordHash credential,
    long createdAt) {}
