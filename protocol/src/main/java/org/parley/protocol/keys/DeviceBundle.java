package org.parley.protocol.keys;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.parley.protocol.DeviceId;

/**
 * One device's prekey bundle. {@code preKey} is absent when the device has no one-time EC prekey
 * left; {@code kyberPreKey} is a one-time Kyber prekey, or the last-resort one when none is left.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceBundle(
    DeviceId deviceId,
    int registrationId,
    byte[] identityKey,
    SignedPreKey signedPreKey,
    PreKey preKey,
    KyberPreKey kyberPreKey) {}
