package org.parley.protocol.kt;

/**
 * The answer to POST /v1/kt/auditor-heads: whether the server kept the head ({@code false} when it
 * already holds a newer one from that auditor, which is not an error).
 */
public record AuditorHeadResponse(boolean kept) {}
