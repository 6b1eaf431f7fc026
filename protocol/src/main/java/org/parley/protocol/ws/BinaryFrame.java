package org.parley.protocol.ws;

import java.util.List;
import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Validation;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.message.SendRequest;

/**
 * A frame of WebSocket protocol version 2 (docs/spec/websocket.md): one CBOR array per binary
 * message, its first element the frame's kind. Requests carry an id the client chose; the server
 * answers each request exactly once, in any order, with a frame naming the same id.
 */
public sealed interface BinaryFrame {
  /** The largest request id: ids are unsigned 32-bit numbers. */
  long MAX_REQUEST_ID = 0xffff_ffffL;

  /** A request of the client's, answered by {@link Sent}, {@link Acked} or {@link Refused}. */
  sealed interface Request extends BinaryFrame {
    long requestId();
  }

  /** kind 1: PUT /v1/messages/{recipient} over the socket. */
  record Send(long requestId, AccountId recipient, SendRequest request) implements Request {
    public Send {
      requireRequestId(requestId);
      Validation.required(recipient, "recipient");
      Validation.required(request, "request");
    }
  }

  /** kind 2: POST /v1/messages/ack over the socket. */
  record Ack(long requestId, List<String> ids) implements Request {
    public Ack {
      requireRequestId(requestId);
      ids = new AckRequest(ids).ids();
    }
  }

  /** kind 3: a send was committed: {@code stored} envelopes, stamped {@code serverTimestamp}. */
  record Sent(long requestId, long serverTimestamp, int stored) implements BinaryFrame {
    public Sent {
      requireRequestId(requestId);
    }
  }

  /** kind 4: the acknowledged envelopes are deleted. */
  record Acked(long requestId) implements BinaryFrame {
    public Acked {
      requireRequestId(requestId);
    }
  }

  /**
   * kind 5: a request was refused and nothing it asked for happened; {@code status} is the HTTP
   * status the same refusal has over HTTP. {@code requestId} is null when the frame was too
   * malformed to name one. {@code retryAfterSeconds} is positive only for {@code rate_limited} and
   * {@code storage_full}.
   */
  record Refused(Long requestId, int status, ErrorResponse error, long retryAfterSeconds)
      implements BinaryFrame {
    public Refused {
      if (requestId != null) {
        requireRequestId(requestId);
      }
      Objects.requireNonNull(error, "error");
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("status " + status + " is not an error status");
      }
      if (retryAfterSeconds < 0) {
        throw new IllegalArgumentException("retryAfterSeconds must not be negative");
      }
    }
  }

  /** kind 6: queued envelopes, oldest first; each stays queued until acknowledged. */
  record Envelopes(List<Envelope> envelopes) implements BinaryFrame {
    public Envelopes {
      envelopes = List.copyOf(envelopes);
      if (envelopes.isEmpty()) {
        throw new IllegalArgumentException("an envelopes frame holds at least one envelope");
      }
    }
  }

  /** kind 7: everything queued when the socket opened has been sent. */
  record QueueEmpty() implements BinaryFrame {}

  /** kind 8: the account's device list changed. */
  record DevicesChanged(AccountId accountId) implements BinaryFrame {
    public DevicesChanged {
      Validation.required(accountId, "accountId");
    }
  }

  /** kind 9: fewer than the refill threshold of one-time prekeys are left. */
  record KeysLow(int preKeys, int kyberPreKeys) implements BinaryFrame {}

  private static void requireRequestId(long id) {
    if (id < 0 || id > MAX_REQUEST_ID) {
      throw new IllegalArgumentException("a request id is an unsigned 32-bit number");
    }
  }
}
