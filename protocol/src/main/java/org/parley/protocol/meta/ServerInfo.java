package org.parley.protocol.meta;

/** GET /v1/server: the handle domain this server serves and its software version. */
public record ServerInfo(String domain, String version) {}
