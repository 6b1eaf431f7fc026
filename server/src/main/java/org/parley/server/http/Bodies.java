package org.parley.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;

/** Reads JSON request bodies (at most {@link #MAX_BODY} bytes) and writes JSON answers. */
public final class Bodies {
  /** The largest request body accepted: 1 MiB. */
  public static final int MAX_BODY = 1 << 20;

  private Bodies() {}

  /** Decodes the body as {@code type}; malformed_json, invalid_request or body_too_large. */
  public static <T> T read(Context ctx, Class<T> type) {
    return Json.read(bytes(ctx), type);
  }

  /** The raw body (binary endpoints), with the same size limit and empty-body refusal. */
  public static byte[] raw(Context ctx) {
    return bytes(ctx);
  }

  static byte[] bytes(Context ctx) {
    if (ctx.req().getContentLengthLong() > MAX_BODY) {
      throw tooLarge();
    }
    byte[] body;
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.MALFORMED_JSON, "the body could not be read");
    }
    if (body.length > MAX_BODY) {
      throw tooLarge();
    }
    if (body.length == 0) {
      throw new ProtocolException(ErrorCode.MALFORMED_JSON, "the body is empty");
    }
    return body;
  }

  private static ProtocolException tooLarge() {
    return new ProtocolException(ErrorCode.BODY_TOO_LARGE, "the body is over 1 MiB");
  }

  /** A JSON answer: {@code body} is one of the wire records of {@code protocol}. */
  public static void json(Context ctx, int status, Record body) {
    write(ctx, status, body);
  }

  /** A 200 JSON answer: {@code body} is one of the wire records of {@code protocol}. */
  public static void ok(Context ctx, Record body) {
    write(ctx, 200, body);
  }

  /**
   * A 200 answer of any shape, for the test-only misbehaviour endpoints alone (docs/spec/api.md,
   * "Test-only endpoints"); every other answer is a record of {@code protocol}, so that the wire
   * contract is one module (cli ArchitectureTest).
   */
  public static void ok(Context ctx, Object body) {
    write(ctx, 200, body);
  }

  private static void write(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(Json.write(body));
  }

  public static void noContent(Context ctx) {
    ctx.status(204);
  }
}
