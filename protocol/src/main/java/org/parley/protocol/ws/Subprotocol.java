package org.parley.protocol.ws;

import java.util.List;
import java.util.Optional;

/**
 * The WebSocket protocol versions, negotiated with {@code Sec-WebSocket-Protocol} (RFC 6455 section
 * 1.9; docs/spec/websocket.md): a client offers the names it speaks, the server answers with the
 * one it chose, and an upgrade without the header speaks version 1.
 */
public enum Subprotocol {
  /** JSON text frames: pushes and acknowledgements only (docs/spec/delivery.md). */
  V1("parley.1"),
  /** Binary CBOR frames: pushes, plus sends and acknowledgements as requests with ids. */
  V2("parley.2");

  private final String wireName;

  Subprotocol(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The newest version among the offered names, or empty if none is known. */
  public static Optional<Subprotocol> choose(List<String> offered) {
    Subprotocol best = null;
    for (String name : offered) {
      for (Subprotocol p : values()) {
        if (p.wireName.equals(name.trim()) && (best == null || p.compareTo(best) > 0)) {
          best = p;
        }
      }
    }
    return Optional.ofNullable(best);
  }
}
