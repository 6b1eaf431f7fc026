package org.parley.client;

import java.time.Instant;
import org.parley.protocol.link.LinkCode;

/**
 * A new device's link request, waiting for an existing device to approve it: the code to type and
 * the URI to paste ({@code parley://link/<code>#<fingerprint>}), which lets the approver check that
 * the server did not swap this device's key.
 */
public record PendingLink(LinkCode code, String uri, String fingerprint, Instant expiresAt) {}
