package org.parley.server.link;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkStatus;
import org.parley.server.device.NewDevice;

/**
 * A new device's link request. Once an existing device approves it, {@code accountId} and {@code
 * approval} say which account offers to take it; once the new device accepts, {@code deviceId} says
 * where it was added.
 */
public record PendingLink(
    LinkCode code,
    NewDevice device,
    long expiresAt,
    LinkStatus.State state,
    AccountId accountId,
    DeviceId deviceId,
    LinkApproval approval) {}
