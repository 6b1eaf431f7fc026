package org.parley.protocol.ws;

import java.util.Optional;

/**
 * The codes the server closes a device's WebSocket with (docs/spec/delivery.md), with the reason it
 * sends and whether a client should connect again: after {@link #REMOVED} its credential no longer
 * works, and after {@link #REPLACED} another connection of the same device is live, which a new
 * connection would close in turn.
 */
public enum CloseCode {
  /** The server shuts down (RFC 6455 "going away"). */
  GOING_AWAY(1001, "server shutting down", true),
  /** The server failed while serving the connection (RFC 6455 "internal error"). */
  SERVER_ERROR(1011, "server error", true),
  /** The device was removed from its account, or its credential is no longer valid. */
  REMOVED(4401, "this device was removed", false),
  /** A newer connection of the same device took over; a device has one socket. */
  REPLACED(4409, "replaced by a newer connection of this device", false);

  private final int code;
  private final String reason;
  private final boolean reconnect;

  CloseCode(int code, String reason, boolean reconnect) {
    this.code = code;
    this.reason = reason;
    this.reconnect = reconnect;
  }

  /** The close frame's status code. */
  public int code() {
    return code;
  }

  /** The close frame's reason text, for people: clients act on the code. */
  public String reason() {
    return reason;
  }

  /** Whether a client connects again (with backoff) after this close. */
  public boolean reconnect() {
    return reconnect;
  }

  /** The code Parley defines for {@code code}, if any (a proxy may close with others). */
  public static Optional<CloseCode> of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
