package org.parley.bench;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.protocol.ws.Subprotocol;

/**
 * One device's WebSocket speaking protocol version 2 (docs/spec/websocket.md) over a {@link
 * RawWebSocket}: hands each complete binary message to {@link #frame} and writes frames. Subclasses
 * are the two roles of a pair: {@link SenderSocket} and {@link ReceiverSocket}.
 */
abstract class ParleySocket implements RawWebSocket.Listener {
  /** Where frames go: the socket, or a test's capture. */
  interface FrameOut {
    void write(byte[] frame, int offset, int length) throws IOException;
  }

  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private volatile RawWebSocket socket;
  private volatile FrameOut out;
  private volatile boolean closing;

  /**
   * Opens the socket offering only {@code parley.2}: a server that answers without choosing it
   * speaks version 1 and cannot be driven this way.
   */
  void open(URI websocket, String authorization) throws IOException {
    RawWebSocket ws =
        RawWebSocket.connect(websocket, authorization, Subprotocol.V2.wireName(), this);
    if (!Subprotocol.V2.wireName().equals(ws.subprotocol())) {
      closing = true;
      ws.close();
      throw new IOException(
          "the server did not choose "
              + Subprotocol.V2.wireName()
              + " (answered '"
              + ws.subprotocol()
              + "'): it has no WebSocket protocol version 2");
    }
    socket = ws;
    out = ws::sendBinary;
  }

  /** Hands the frames this socket would write to {@code capture}; it is never opened. */
  final void captureWrites(FrameOut capture) {
    this.out = capture;
  }

  /** One complete binary message in {@code buf[offset, offset + length)}, valid during the call. */
  abstract void frame(byte[] buf, int offset, int length, long receivedNanos);

  /** The connection ended; outstanding work will never be answered. */
  abstract void ended(String why);

  @Override
  public final void onBinary(byte[] buf, int offset, int length, long receivedNanos) {
    frame(buf, offset, length, receivedNanos);
  }

  @Override
  public final void onText() {
    problem("a text message on a version 2 socket");
  }

  @Override
  public final void onEnd(String why, boolean closedByPeer) {
    if (!closing) {
      problem("socket " + why);
    }
    ended("socket " + why);
  }

  /** Sends one frame after those before it; the array may be reused once this returns. */
  final void write(byte[] frame, int offset, int length) {
    try {
      out.write(frame, offset, length);
    } catch (IOException e) {
      if (!closing) {
        problem("send failed: " + e);
      }
      ended("send failed: " + e);
    }
  }

  final void problem(String what) {
    errors.incrementAndGet();
    problem.compareAndSet(null, what);
  }

  final long errors() {
    return errors.get();
  }

  final String problem() {
    return problem.get();
  }

  final boolean inputClosed() {
    RawWebSocket ws = socket;
    return ws == null || ws.isClosed();
  }

  void close() {
    RawWebSocket ws = socket;
    if (ws != null) {
      closing = true;
      ws.close();
    }
  }
}
