package org.parley.protocol.ws;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import org.parley.protocol.message.AckRequest;

/** A text frame a device sends on its WebSocket. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = ClientFrame.Ack.class, name = "ack")})
public sealed interface ClientFrame {
  /** Acknowledges envelopes, as POST /v1/messages/ack does; answered with {@code acked}. */
  record Ack(List<String> ids) implements ClientFrame {
    public Ack {
      ids = new AckRequest(ids).ids();
    }
  }
}
