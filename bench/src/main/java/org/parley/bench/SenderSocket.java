package org.parley.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.parley.protocol.AccountId;

/**
 * A sender's own WebSocket (protocol version 2): each message goes out as one {@code send} frame,
 * pipelined, and its future completes when the server answers {@code sent} for the frame's request
 * id (or fails on {@code refused}). Request ids count up; at most {@code window} are outstanding
 * (the {@link Driver} sees to that), so a request's slot is its id modulo a power of two at least
 * the window, and answers cost no map.
 *
 * <p>A frame is {@code [1, id, recipient, timestamp, [[1, registration-id, 0, content]], []]}: one
 * message for the receiver's only device, type {@code message}, written straight into the array
 * that goes out.
 */
final class SenderSocket extends ParleySocket {
  private static final int SEND = 1;
  private static final int SENT = 3;
  private static final int REFUSED = 5;

  private final byte[] recipient; // the account id's text string, head included
  private final int registrationId;
  private final int mask;
  private final AtomicReferenceArray<CompletableFuture<Void>> outstanding;
  private final long[] ids;
  private final WireCbor.Cursor in = new WireCbor.Cursor(); // used on the socket's reader only
  private long nextId; // the one sending thread of the pair

  SenderSocket(AccountId recipient, int registrationId, int window) {
    this.recipient = WireCbor.text(recipient.value());
    this.registrationId = registrationId;
    int slots = Integer.highestOneBit(Math.max(1, window - 1)) << 1;
    this.mask = slots - 1;
    this.outstanding = new AtomicReferenceArray<>(slots);
    this.ids = new long[slots];
  }

  /** Sends one message; only the pair's sending thread calls this. */
  CompletableFuture<Void> send(Payload payload) {
    long id = nextId;
    nextId = (nextId + 1) & 0xffff_ffffL;
    byte[] frame = sendFrame(id, recipient, System.currentTimeMillis(), registrationId, payload);
    CompletableFuture<Void> answered = new CompletableFuture<>();
    int slot = (int) (id & mask);
    if (outstanding.get(slot) != null) {
      throw new IllegalStateException("more sends outstanding than the window of " + (mask + 1));
    }
    ids[slot] = id; // published to the reader by the volatile set below
    outstanding.set(slot, answered);
    write(frame, 0, frame.length);
    return answered;
  }

  /**
   * The send frame for one message to device 1 of the recipient, type {@code message}.
   *
   * @param recipient the recipient account id's complete text item
   */
  static byte[] sendFrame(
      long id, byte[] recipient, long timestamp, int registrationId, Payload payload) {
    byte[] frame =
        new byte
            [1 // array(6)
                + 1 // kind
                + WireCbor.headSize(id)
                + recipient.length
                + WireCbor.headSize(timestamp)
                + 2 // [ [
                + 1 // device 1
                + WireCbor.headSize(registrationId)
                + 1 // type 0
                + WireCbor.headSize(Payload.SIZE)
                + Payload.SIZE
                + 1]; // withheld []
    int at = WireCbor.writeHead(frame, 0, WireCbor.ARRAY, 6);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, SEND);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, id);
    System.arraycopy(recipient, 0, frame, at, recipient.length);
    at += recipient.length;
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, timestamp);
    at = WireCbor.writeHead(frame, at, WireCbor.ARRAY, 1);
    at = WireCbor.writeHead(frame, at, WireCbor.ARRAY, 4);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, 1);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, registrationId);
    at = WireCbor.writeHead(frame, at, WireCbor.UNSIGNED, 0);
    at = WireCbor.writeHead(frame, at, WireCbor.BYTES, Payload.SIZE);
    payload.writeTo(frame, at);
    at += Payload.SIZE;
    WireCbor.writeHead(frame, at, WireCbor.ARRAY, 0);
    return frame;
  }

  @Override
  void frame(byte[] buf, int offset, int length, long receivedNanos) {
    try {
      in.reset(buf, offset, offset + length);
      int size = in.arrayHeader();
      int kind = size == 0 ? -1 : (int) in.unsigned();
      switch (kind) {
        case SENT -> {
          expect(size, 4, "sent");
          long id = in.unsigned();
          in.unsigned(); // server timestamp
          long stored = in.unsigned();
          requireEnd();
          CompletableFuture<Void> answered = take(id);
          if (stored != 1) {
            answered.completeExceptionally(
                new IllegalStateException("sent frame stored " + stored + " envelopes, not 1"));
          } else {
            answered.complete(null);
          }
        }
        case REFUSED -> {
          expect(size, 7, "refused");
          Long id = in.tryNull() ? null : in.unsigned();
          long status = in.unsigned();
          String code = in.text();
          String message = in.text();
          String refusal = "refused " + status + " " + code + ": " + message;
          if (id == null) {
            problem(refusal + " (no request id)");
          } else {
            take(id).completeExceptionally(new IllegalStateException(refusal));
          }
        }
        default -> {} // pushes to the sender's own device (queue_empty, keys_low, ...)
      }
    } catch (WireCbor.Malformed | RuntimeException e) {
      problem("unreadable frame on a sender's socket: " + e.getMessage());
    }
  }

  private CompletableFuture<Void> take(long id) {
    int slot = (int) (id & mask);
    CompletableFuture<Void> answered = outstanding.get(slot);
    if (answered == null || ids[slot] != id) {
      throw new IllegalStateException("an answer for request " + id + ", which is not outstanding");
    }
    outstanding.set(slot, null);
    return answered;
  }

  private void expect(int size, int expected, String kind) throws WireCbor.Malformed {
    if (size != expected) {
      throw new WireCbor.Malformed(kind + " frame of " + size + " elements");
    }
  }

  private void requireEnd() throws WireCbor.Malformed {
    if (!in.atEnd()) {
      throw new WireCbor.Malformed("trailing bytes after the frame");
    }
  }

  @Override
  void ended(String why) {
    for (int i = 0; i <= mask; i++) {
      CompletableFuture<Void> answered = outstanding.getAndSet(i, null);
      if (answered != null) {
        answered.completeExceptionally(new IllegalStateException(why));
      }
    }
  }
}
