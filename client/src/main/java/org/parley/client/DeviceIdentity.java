package org.parley.client;

import java.net.URI;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * Who this device is: its server, account, handle, device id and name, and the fingerprint of its
 * identity key (what a link URI carries). Holds no secret.
 */
public record DeviceIdentity(
    URI server,
    AccountId accountId,
    Handle handle,
    DeviceId deviceId,
    String deviceName,
    String fingerprint) {}
