package org.parley.client;

import java.time.Duration;
import java.util.Optional;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;

/** The server answered with an error ({@code {"code","message"}}, docs/spec/errors.md). */
public final class ServerException extends ClientException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;
  private final int status;
  private final transient ErrorResponse body;
  private final Duration retryAfter;

  public ServerException(ErrorCode code, String message, int status, ErrorResponse body) {
    this(code, message, status, body, null);
  }

  public ServerException(
      ErrorCode code, String message, int status, ErrorResponse body, Duration retryAfter) {
    super(message);
    this.code = code;
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
  }

  /** The error code; {@link ErrorCode#INTERNAL_ERROR} when the server sent one we don't know. */
  public ErrorCode code() {
    return code;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The whole error body, with the device lists of a {@code stale_devices} answer. */
  public ErrorResponse body() {
    return body;
  }

  /** How long to wait before retrying, from a {@code Retry-After} header. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
