package org.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.parley.protocol.ws.Subprotocol;

/**
 * One idle device's WebSocket (protocol version 2) in a client child of the idle-connections bench:
 * run on its own virtual thread over a blocking socket with a 2 KiB buffer, so that thousands fit
 * in one JVM ({@link RawWebSocket} has a platform thread and 128 KiB of buffers per socket). It
 * reads pushes, acknowledges every envelope at once (one {@code ack} per {@code envelopes} frame,
 * so the queue empties), answers pings, and reports to {@link Events}. Only its own thread writes.
 */
final class IdleSocket {
  /** What the socket reports; called on its thread. */
  interface Events {
    /** {@code queue_empty} arrived: the socket is open and idle. */
    void ready();

    /** An {@code envelopes} frame of {@code count} envelopes was complete at {@code nanos}. */
    void arrived(long nanos, int count);

    /** The server confirmed acknowledging {@code count} envelopes. */
    void acked(int count);

    void problem(String what);

    /** The connection ended, or never opened. */
    void ended();
  }

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int ACK = 2;
  private static final int ACKED = 4;
  private static final int REFUSED = 5;
  private static final int ENVELOPES = 6;
  private static final int QUEUE_EMPTY = 7;

  private final InetAddress local;
  private final InetSocketAddress server;
  private final String authorization;
  private final Events events;
  private final WireCbor.Cursor in = new WireCbor.Cursor();
  private OutputStream out;
  private long nextRequest;
  private Map<Long, Integer> outstanding; // ack request id -> envelopes; made at the first ack

  IdleSocket(InetAddress local, InetSocketAddress server, String authorization, Events events) {
    this.local = local;
    this.server = server;
    this.authorization = authorization;
    this.events = events;
  }

  /** Connects from {@code local}, upgrades, and reads until the connection ends. */
  void run() {
    try (Socket socket = new Socket()) {
      // the local address's ephemeral ports (about 28,000) bound how many sockets one source has
      socket.bind(new InetSocketAddress(local, 0));
      socket.setTcpNoDelay(true);
      socket.connect(server, 30_000);
      out = socket.getOutputStream();
      read(socket.getInputStream(), upgrade(socket.getInputStream()));
    } catch (IOException | RuntimeException e) {
      events.problem("socket from " + local.getHostAddress() + ": " + e);
    } finally {
      events.ended();
    }
  }

  /**
   * Sends the upgrade and reads the answer's head; returns the buffer holding any bytes after it.
   */
  private Buffer upgrade(InputStream input) throws IOException {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String request =
        "GET /v1/websocket HTTP/1.1\r\nHost: "
            + server.getHostString()
            + ":"
            + server.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: "
            + Subprotocol.V2.wireName()
            + "\r\nAuthorization: "
            + authorization
            + "\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    Buffer buf = new Buffer();
    int headEnd;
    while ((headEnd = buf.find("\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1))) < 0) {
      if (!buf.fill(input)) {
        throw new IOException("the server closed the connection during the upgrade");
      }
    }
    String head = new String(buf.bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
    buf.start = headEnd + 4;
    List<String> lines = head.lines().toList();
    if (!lines.get(0).startsWith("HTTP/1.1 101")) {
      throw new IOException("upgrade refused: " + lines.get(0));
    }
    String accept = null;
    String chosen = null;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        if (name.equals("sec-websocket-accept")) {
          accept = line.substring(colon + 1).trim();
        } else if (name.equals("sec-websocket-protocol")) {
          chosen = line.substring(colon + 1).trim();
        }
      }
    }
    if (!acceptKey(key).equals(accept)) {
      throw new IOException("a wrong Sec-WebSocket-Accept: " + accept);
    }
    if (!Subprotocol.V2.wireName().equals(chosen)) {
      throw new IOException("the server chose '" + chosen + "', not " + Subprotocol.V2.wireName());
    }
    return buf;
  }

  private void read(InputStream input, Buffer buf) throws IOException {
    while (true) {
      while (buf.end - buf.start >= 2) {
        int b0 = buf.bytes[buf.start] & 0xff;
        int b1 = buf.bytes[buf.start + 1] & 0xff;
        int headSize = (b1 & 0x7f) == 126 ? 4 : (b1 & 0x7f) == 127 ? 10 : 2;
        if ((b1 & 0x80) != 0 || (b0 & 0x80) == 0) {
          throw new IOException("a masked or fragmented frame from the server");
        }
        if (buf.end - buf.start < headSize) {
          break;
        }
        long length = b1 & 0x7f;
        if (headSize == 4) {
          length =
              (long) (buf.bytes[buf.start + 2] & 0xff) << 8 | (buf.bytes[buf.start + 3] & 0xff);
        } else if (headSize == 10) {
          length = 0;
          for (int i = 2; i < 10; i++) {
            length = length << 8 | (buf.bytes[buf.start + i] & 0xff);
          }
        }
        if (length > 1 << 20) {
          throw new IOException("a frame of " + length + " bytes");
        }
        if (buf.end - buf.start < headSize + length) {
          buf.ensureRoom(headSize + (int) length);
          break;
        }
        int payload = buf.start + headSize;
        buf.start = payload + (int) length;
        switch (b0 & 0x0f) {
          case 2 -> message(buf.bytes, payload, (int) length);
          case 9 -> writeFrame(10, buf.bytes, payload, (int) length); // pong
          case 8 -> {
            writeFrame(8, buf.bytes, payload, Math.min(2, (int) length));
            return;
          }
          case 10 -> {}
          default -> throw new IOException("a frame with opcode " + (b0 & 0x0f));
        }
      }
      if (!buf.fill(input)) {
        return;
      }
    }
  }

  private void message(byte[] buf, int offset, int length) throws IOException {
    long received = System.nanoTime();
    try {
      in.reset(buf, offset, offset + length);
      int size = in.arrayHeader();
      int kind = size == 0 ? -1 : (int) in.unsigned();
      switch (kind) {
        case ENVELOPES -> envelopes(buf, received);
        case QUEUE_EMPTY -> events.ready();
        case ACKED -> {
          Integer count = outstanding == null ? null : outstanding.remove(in.unsigned());
          if (count == null) {
            throw new WireCbor.Malformed("acked for a request that is not outstanding");
          }
          events.acked(count);
        }
        case REFUSED -> {
          in.tryNull();
          events.problem("refused " + in.unsigned() + " " + in.text() + ": " + in.text());
        }
        default -> {} // keys_low, devices_changed
      }
    } catch (WireCbor.Malformed e) {
      events.problem("unreadable frame: " + e.getMessage());
    }
  }

  /** Reads {@code [6, [+ envelope]]} and acknowledges its ids in one request. */
  private void envelopes(byte[] buf, long received) throws WireCbor.Malformed, IOException {
    int count = in.arrayHeader();
    int[] ids = new int[2 * count];
    int idBytes = 0;
    for (int i = 0; i < count; i++) {
      in.expectArray(8, "envelope");
      ids[2 * i] = in.position();
      in.string(WireCbor.TEXT);
      ids[2 * i + 1] = in.position() - ids[2 * i];
      idBytes += ids[2 * i + 1];
      in.string(WireCbor.TEXT); // source account
      in.string(WireCbor.TEXT); // source handle
      in.unsigned(); // source device
      in.unsigned(); // type
      in.unsigned(); // timestamp
      in.unsigned(); // server timestamp
      in.string(WireCbor.BYTES); // content
    }
    events.arrived(received, count);
    long request = nextRequest;
    nextRequest = (nextRequest + 1) & 0xffff_ffffL;
    byte[] ack = new byte[16 + idBytes];
    int at = WireCbor.writeHead(ack, 0, WireCbor.ARRAY, 3);
    at = WireCbor.writeHead(ack, at, WireCbor.UNSIGNED, ACK);
    at = WireCbor.writeHead(ack, at, WireCbor.UNSIGNED, request);
    at = WireCbor.writeHead(ack, at, WireCbor.ARRAY, count);
    for (int i = 0; i < count; i++) {
      System.arraycopy(buf, ids[2 * i], ack, at, ids[2 * i + 1]);
      at += ids[2 * i + 1];
    }
    if (outstanding == null) {
      outstanding = new HashMap<>();
    }
    outstanding.put(request, count);
    writeFrame(2, ack, 0, at);
  }

  /** Writes one masked frame (RFC 6455 requires masking from clients). */
  private void writeFrame(int opcode, byte[] payload, int offset, int length) throws IOException {
    int headSize = length < 126 ? 2 : 4;
    byte[] frame = new byte[headSize + 4 + length];
    frame[0] = (byte) (0x80 | opcode);
    if (length < 126) {
      frame[1] = (byte) (0x80 | length);
    } else {
      frame[1] = (byte) (0x80 | 126);
      frame[2] = (byte) (length >>> 8);
      frame[3] = (byte) length;
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    System.arraycopy(mask, 0, frame, headSize, 4);
    for (int i = 0; i < length; i++) {
      frame[headSize + 4 + i] = (byte) (payload[offset + i] ^ mask[i & 3]);
    }
    out.write(frame);
  }

  private static String acceptKey(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  /** The read buffer: bytes[start, end) are read and not yet parsed. */
  private static final class Buffer {
    byte[] bytes = new byte[2048];
    int start;
    int end;

    /** Reads more; false at the end of the stream. */
    boolean fill(InputStream input) throws IOException {
      if (start == end) {
        start = 0;
        end = 0;
      } else if (end == bytes.length) {
        System.arraycopy(bytes, start, bytes, 0, end - start);
        end -= start;
        start = 0;
      }
      if (end == bytes.length) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      int read = input.read(bytes, end, bytes.length - end);
      if (read < 0) {
        return false;
      }
      end += read;
      return true;
    }

    void ensureRoom(int frameSize) {
      if (frameSize > bytes.length) {
        byte[] bigger = new byte[frameSize];
        System.arraycopy(bytes, start, bigger, 0, end - start);
        end -= start;
        start = 0;
        bytes = bigger;
      }
    }

    int find(byte[] needle) {
      outer:
      for (int i = start; i + needle.length <= end; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (bytes[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
