package org.parley.server.http;

import java.util.Map;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.ProtocolException;

/**
 * A refusal whose body or headers go beyond {@code {"code","message"}}: stale devices, rate limits.
 */
public final class ApiException extends ProtocolException {
  /** How long a client waits after {@code storage_full}: an operator has to free space. */
  public static final long STORAGE_FULL_RETRY_SECONDS = 60;

  private final transient ErrorResponse body;
  private final Map<String, String> headers;

  public ApiException(ErrorCode code, ErrorResponse body, Map<String, String> headers) {
    super(code, body.message());
    this.body = body;
    this.headers = Map.copyOf(headers);
  }

  public static ApiException rateLimited(long retryAfterSeconds) {
    return new ApiException(
        ErrorCode.RATE_LIMITED,
        ErrorResponse.of(
            ErrorCode.RATE_LIMITED, "too many requests; retry after " + retryAfterSeconds + " s"),
        Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  /** The storage is full; nothing was kept, the same request may succeed later. */
  public static ApiException storageFull() {
    return new ApiException(
        ErrorCode.STORAGE_FULL,
        ErrorResponse.of(
            ErrorCode.STORAGE_FULL,
            "the server's storage is full; nothing was stored; retry after "
                + STORAGE_FULL_RETRY_SECONDS
                + " s"),
        Map.of("Retry-After", Long.toString(STORAGE_FULL_RETRY_SECONDS)));
  }

  public ErrorResponse body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
