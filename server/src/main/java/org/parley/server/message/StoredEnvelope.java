package org.parley.server.message;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.message.Envelope;

/**
 * An envelope in a device's queue. {@code seq} orders the queue (strictly increasing in commit
 * order per device) and lets a connection resume after the last envelope it pushed.
 */
public record StoredEnvelope(
    long seq, AccountId recipientAccountId, DeviceId recipientDeviceId, Envelope envelope) {}
