package org.parley.server.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;
import org.parley.server.storage.StorageHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become answers: every non-2xx response is {@code {"code","message"}}
 * with the code's status, and nothing unexpected leaks a detail.
 */
public final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  public static void install(Javalin app) {
    // Jetty passes escapes such as %u0041 through, and Javalin's path-parameter decoding then
    // throws: refuse them first, as the malformed path parameter they are.
    app.before(
        ctx -> {
          if (hasMalformedEscape(ctx.req().getRequestURI())
              || hasMalformedEscape(ctx.req().getQueryString())) {
            throw Errors.invalidRequest("the path or query has a malformed percent-escape");
          }
        });
    app.exception(ProtocolException.class, (e, ctx) -> answer(ctx, e));
    app.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, fromJavalin(e)));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          if (StorageHealth.isFull(e, sql -> false)) {
            // a full disk is the operator's to fix, not a bug: one line, and a status that says so
            LOG.warn("storage full on {} {}: {}", ctx.method(), route(ctx), e.getMessage());
            answer(ctx, ApiException.storageFull());
            return;
          }
          // the route, not the path: a path names accounts, and the log is no place for who wrote
          // whom
          LOG.error("unexpected failure on {} {}", ctx.method(), route(ctx), e);
          answer(ctx, new ProtocolException(ErrorCode.INTERNAL_ERROR, "internal error"));
        });
    // Answers Javalin or Jetty produce without an exception (e.g. an unmatched path).
    app.error(404, ctx -> ensureBody(ctx, ErrorCode.NOT_FOUND, "no such endpoint"));
    app.error(405, ctx -> ensureBody(ctx, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed here"));
    app.error(413, ctx -> ensureBody(ctx, ErrorCode.BODY_TOO_LARGE, "the body is over 1 MiB"));
    app.error(500, ctx -> ensureBody(ctx, ErrorCode.INTERNAL_ERROR, "internal error"));
  }

  /** The route that matched ({@code /v1/messages/{accountId}}), never the path with its ids. */
  private static String route(Context ctx) {
    try {
      return ctx.matchedPath();
    } catch (RuntimeException e) {
      return "(no route)";
    }
  }

  public static void answer(Context ctx, ProtocolException e) {
    ErrorResponse body =
        e instanceof ApiException api ? api.body() : ErrorResponse.of(e.code(), e.getMessage());
    if (e instanceof ApiException api) {
      api.headers().forEach(ctx::header);
    }
    if (e.code() == ErrorCode.UNAUTHORIZED) {
      ctx.header("WWW-Authenticate", "Basic realm=\"parley\"");
    }
    ctx.status(e.code().httpStatus()).contentType("application/json");
    byte[] bytes = Json.write(body);
    if ("websocket".equalsIgnoreCase(ctx.header("Upgrade"))) {
      // A refused upgrade never reaches Javalin's result writer: write the body ourselves.
      try {
        ctx.res().setContentLength(bytes.length);
        ctx.res().getOutputStream().write(bytes);
        ctx.res().flushBuffer();
      } catch (java.io.IOException ignored) {
        // the client went away
      }
    } else {
      ctx.result(bytes);
    }
  }

  private static void ensureBody(Context ctx, ErrorCode code, String message) {
    String current = ctx.result();
    if (current == null || current.isEmpty() || !current.startsWith("{\"code\"")) {
      ctx.contentType("application/json").result(Json.write(ErrorResponse.of(code, message)));
    }
  }

  static boolean hasMalformedEscape(String raw) {
    if (raw == null) {
      return false;
    }
    for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
      if (i + 2 >= raw.length()
          || Character.digit(raw.charAt(i + 1), 16) < 0
          || Character.digit(raw.charAt(i + 2), 16) < 0) {
        return true;
      }
    }
    return false;
  }

  private static ProtocolException fromJavalin(HttpResponseException e) {
    return switch (e.getStatus()) {
      case 401 -> Errors.unauthorized();
      case 404 -> new ProtocolException(ErrorCode.NOT_FOUND, "no such endpoint");
      case 405 -> new ProtocolException(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed here");
      case 413 -> new ProtocolException(ErrorCode.BODY_TOO_LARGE, "the body is over 1 MiB");
      default ->
          e.getStatus() >= 500
              ? new ProtocolException(ErrorCode.INTERNAL_ERROR, "internal error")
              : new ProtocolException(ErrorCode.INVALID_REQUEST, "invalid request");
    };
  }
}
