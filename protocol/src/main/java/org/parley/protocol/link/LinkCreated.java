package org.parley.protocol.link;

/** The answer to POST /v1/links: the code to show, and when it expires (ms since the epoch). */
public record LinkCreated(LinkCode code, long expiresAt) {}
