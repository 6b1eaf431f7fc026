package org.parley.server.http;

import io.javalin.http.Context;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.link.LinkCode;

/** Parses path parameters; a malformed one is a 400 naming it, never a 500. */
public final class PathParams {
  private PathParams() {}

  public static AccountId accountId(Context ctx) {
    String raw = ctx.pathParam("accountId");
    try {
      return AccountId.of(raw);
    } catch (IllegalArgumentException e) {
      throw Errors.invalidRequest("path parameter 'accountId' is not a lowercase canonical UUID");
    }
  }

  public static DeviceId deviceId(Context ctx) {
    return deviceId(ctx.pathParam("deviceId"));
  }

  public static DeviceId deviceId(String raw) {
    try {
      return DeviceId.of(decimal(raw));
    } catch (IllegalArgumentException e) {
      throw Errors.invalidRequest(
          "path parameter 'deviceId' must be an integer 1.." + DeviceId.MAX);
    }
  }

  public static Handle handle(Context ctx) {
    try {
      return Handle.of(ctx.pathParam("handle"));
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.INVALID_HANDLE, "not a handle: expected name@domain");
    }
  }

  public static LinkCode linkCode(Context ctx) {
    try {
      return LinkCode.of(ctx.pathParam("code"));
    } catch (IllegalArgumentException e) {
      throw Errors.invalidRequest("path parameter 'code' is not a link code (XXXX-XXXX-XXXX-XXXX)");
    }
  }

  /**
   * A plain decimal of at most 9 ASCII digits: Integer.parseInt would also take "+1", "01" and
   * other scripts' digits, which the spec does not allow.
   */
  public static int decimal(String raw) {
    if (raw == null || !raw.matches("0|[1-9][0-9]{0,8}")) {
      throw new IllegalArgumentException("not a decimal integer");
    }
    return Integer.parseInt(raw);
  }
}
