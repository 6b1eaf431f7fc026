package org.parley.server.http;

import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;

/** Shorthands for the refusals handlers throw; the exception mapper turns them into answers. */
public final class Errors {
  private Errors() {}

  public static ProtocolException of(ErrorCode code, String message) {
    return new ProtocolException(code, message);
  }

  public static ProtocolException unauthorized() {
    return new ProtocolException(ErrorCode.UNAUTHORIZED, "missing or invalid credentials");
  }

  public static ProtocolException invalidRequest(String message) {
    return new ProtocolException(ErrorCode.INVALID_REQUEST, message);
  }
}
