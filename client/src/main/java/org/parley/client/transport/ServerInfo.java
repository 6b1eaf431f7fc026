package org.parley.client.transport;

/** GET /v1/server: the server's handle domain and software version. */
public record ServerInfo(String domain, String version) {}
