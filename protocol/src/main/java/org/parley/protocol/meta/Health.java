package org.parley.protocol.meta;

/**
 * GET /v1/health when the server can take writes; a server short of storage answers {@code 503
 * storage_full} with the usual error body instead (docs/spec/api.md).
 */
public record Health(String status) {
  /** The one healthy answer, {@code {"status":"ok"}}. */
  public static final Health OK = new Health("ok");
}
