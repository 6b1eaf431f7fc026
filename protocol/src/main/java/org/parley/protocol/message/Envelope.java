package org.parley.protocol.message;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/**
 * A ciphertext as queued for and delivered to one device. {@code id} is assigned by the server and
 * is what the device acknowledges; the sender fields are the authenticated sending device.
 */
public record Envelope(
    String id,
    AccountId sourceAccountId,
    Handle sourceHandle,
    DeviceId sourceDeviceId,
    EnvelopeType type,
    long timestamp,
    long serverTimestamp,
    byte[] content) {}
