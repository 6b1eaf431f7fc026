package org.parley.client;

import java.time.Instant;
import java.util.Optional;

/**
 * Where sealed sender stands on this device (docs/spec/sealed-sender.md).
 *
 * @param trustRoot the server's pinned trust root in hex, empty until first use
 * @param credentialRegistered whether the server has this device's delivery credential, so that it
 *     is handed to the people this device writes to
 * @param contactDevices how many devices of other accounts handed this device their credential: the
 *     devices it can send sealed envelopes to
 * @param certificateExpires when the sender certificate in use expires, empty before the first
 *     sealed send
 */
public record SealedStatus(
    Optional<String> trustRoot,
    boolean credentialRegistered,
    int contactDevices,
    Optional<Instant> certificateExpires) {}
