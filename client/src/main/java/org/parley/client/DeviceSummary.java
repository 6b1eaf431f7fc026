package org.parley.client;

import java.time.Instant;

/** One device of this account, as {@code devices()} lists it. */
public record DeviceSummary(
    int deviceId, String name, Instant createdAt, String fingerprint, boolean thisDevice) {}
