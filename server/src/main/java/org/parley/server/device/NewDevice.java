package org.parley.server.device;

import org.parley.protocol.keys.DeviceKeys;

/**
 * A device about to be stored: its name, credential and the keys it published (already verified).
 */
public record NewDevice(String name, PasswordHash credential, DeviceKeys keys, long createdAt) {}
