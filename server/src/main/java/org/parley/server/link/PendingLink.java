package org.parley.server.link;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkStatus;
import org.parley.server.device.NewDevice;

/**
 * A new device waiting to be approved. Once approved, {@code accountId} and {@code deviceId} say
 * where it was added.
 */
public record PendingLink(
    LinkCode code,
    NewDevice device,
    long expiresAt,
    LinkStatus.State state,
    AccountId accountId,
    DeviceId deviceId) {}
