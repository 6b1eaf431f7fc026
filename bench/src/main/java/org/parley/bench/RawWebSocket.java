package org.parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 client over one blocking socket, for the harness only: binary messages out,
 * whole messages in. A profile of the harness on {@code java.net.http.WebSocket} put more of its
 * CPU in the client's schedulers, selector and per-message futures than in anything the benchmark
 * does; here one platform thread per connection reads (a read returns many frames, handed on in
 * place), and writers append their frames to one buffer that whoever finds it idle writes out, so
 * frames that queue up while a write is under way leave in one system call.
 *
 * <p>Client frames are masked as the RFC requires, with a per-frame key from {@link
 * ThreadLocalRandom}: masking protects intermediaries, and there are none on loopback.
 */
final class RawWebSocket implements AutoCloseable {
  /** What the connection delivers. Called on the connection's reader thread. */
  interface Listener {
    /**
     * One complete binary message in {@code buf[offset, offset + length)}, valid during the call.
     */
    void onBinary(byte[] buf, int offset, int length, long receivedNanos);

    /** A text message, which the caller's protocol may not allow. */
    void onText();

    /** The connection ended: a close frame, a failure, or the end of the stream. */
    void onEnd(String why, boolean closedByPeer);
  }

  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int OP_CONTINUATION = 0;
  private static final int OP_TEXT = 1;
  private static final int OP_BINARY = 2;
  private static final int OP_CLOSE = 8;
  private static final int OP_PING = 9;
  private static final int OP_PONG = 10;

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String subprotocol;
  private final Object writeLock = new Object();
  private byte[] pending = new byte[64 * 1024]; // guarded by writeLock
  private int pendingLength; // guarded by writeLock
  private boolean writing; // guarded by writeLock
  private byte[] spare = new byte[64 * 1024]; // the writer's; swapped with pending
  private volatile boolean closed;

  private RawWebSocket(Socket socket, InputStream in, String subprotocol) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.subprotocol = subprotocol;
  }

  /**
   * Upgrades a connection to {@code ws://host:port/path} offering {@code subprotocol}, and starts
   * its reader thread.
   *
   * @throws IOException if the server does not answer 101 with the right accept key; the message
   *     holds the status line
   */
  static RawWebSocket connect(URI uri, String authorization, String subprotocol, Listener listener)
      throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
    socket.setSoTimeout(30_000); // for the handshake only
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String key = Base64.getEncoder().encodeToString(nonce);
    String request =
        "GET "
            + uri.getRawPath()
            + " HTTP/1.1\r\n"
            + "Host: "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + key
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: "
            + subprotocol
            + "\r\n"
            + "Authorization: "
            + authorization
            + "\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    String[] lines = head.split("\r\n");
    String accept = null;
    String chosen = null;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("sec-websocket-accept")) {
          accept = value;
        } else if (name.equals("sec-websocket-protocol")) {
          chosen = value;
        }
      }
    }
    if (!lines[0].startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("WebSocket upgrade refused: " + lines[0]);
    }
    if (!acceptKey(key).equals(accept)) {
      socket.close();
      throw new IOException("WebSocket upgrade with a wrong Sec-WebSocket-Accept: " + accept);
    }
    socket.setSoTimeout(0);
    RawWebSocket ws = new RawWebSocket(socket, in, chosen == null ? "" : chosen);
    Thread.ofPlatform()
        .daemon()
        .name("ws-reader-" + socket.getLocalPort())
        .start(() -> ws.readLoop(listener));
    return ws;
  }

  /** The subprotocol the server chose, or "" if it named none. */
  String subprotocol() {
    return subprotocol;
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int matched = 0; // of "\r\n\r\n"; read byte by byte so no frame bytes are consumed
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the server closed the connection during the upgrade");
      }
      head.append((char) b);
      matched =
          (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
      if (head.length() > 16_384) {
        throw new IOException("an upgrade response head of more than 16 KiB");
      }
    }
    return head.toString();
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

  /** Sends one binary message; {@code payload[offset, offset + length)} may be reused after. */
  void sendBinary(byte[] payload, int offset, int length) throws IOException {
    writeFrame(OP_BINARY, payload, offset, length);
  }

  private void writeFrame(int opcode, byte[] payload, int offset, int length) throws IOException {
    int headSize = 2 + (length < 126 ? 0 : length < 65_536 ? 2 : 8) + 4;
    byte[] toWrite;
    int toWriteLength;
    synchronized (writeLock) {
      if (closed && opcode != OP_CLOSE) {
        throw new IOException("the WebSocket is closed");
      }
      int at = pendingLength;
      if (at + headSize + length > pending.length) {
        pending = Arrays.copyOf(pending, Math.max(pending.length * 2, at + headSize + length));
      }
      byte[] buf = pending;
      buf[at++] = (byte) (0x80 | opcode);
      if (length < 126) {
        buf[at++] = (byte) (0x80 | length);
      } else if (length < 65_536) {
        buf[at++] = (byte) (0x80 | 126);
        buf[at++] = (byte) (length >>> 8);
        buf[at++] = (byte) length;
      } else {
        buf[at++] = (byte) (0x80 | 127);
        for (int i = 7; i >= 0; i--) {
          buf[at++] = (byte) ((long) length >>> (8 * i));
        }
      }
      int mask = ThreadLocalRandom.current().nextInt();
      buf[at++] = (byte) (mask >>> 24);
      buf[at++] = (byte) (mask >>> 16);
      buf[at++] = (byte) (mask >>> 8);
      buf[at++] = (byte) mask;
      mask(payload, offset, length, mask, buf, at);
      pendingLength = at + length;
      if (writing) {
        return; // the writer under way takes it with the next write
      }
      writing = true;
      toWrite = pending;
      toWriteLength = pendingLength;
      pending = spare;
      pendingLength = 0;
    }
    drain(toWrite, toWriteLength);
  }

  /** Writes what this thread took, then whatever queued meanwhile, until nothing is left. */
  private void drain(byte[] buf, int length) throws IOException {
    try {
      while (true) {
        out.write(buf, 0, length);
        synchronized (writeLock) {
          if (pendingLength == 0) {
            spare = buf;
            writing = false;
            return;
          }
          byte[] next = pending;
          length = pendingLength;
          pending = buf;
          pendingLength = 0;
          buf = next;
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (writeLock) {
        writing = false;
        pendingLength = 0;
        spare = buf;
      }
      throw e;
    }
  }

  private static void mask(byte[] src, int from, int length, int mask, byte[] dst, int to) {
    long wide = (mask & 0xffff_ffffL) << 32 | (mask & 0xffff_ffffL);
    int i = 0;
    for (; i + 8 <= length; i += 8) {
      LONG.set(dst, to + i, (long) LONG.get(src, from + i) ^ wide);
    }
    for (; i < length; i++) {
      dst[to + i] = (byte) (src[from + i] ^ (mask >>> (24 - 8 * (i & 3))));
    }
  }

  private void readLoop(Listener listener) {
    byte[] buf = new byte[256 * 1024];
    int start = 0; // of the first unparsed byte
    int end = 0; // of the bytes read
    byte[] message = new byte[64 * 1024]; // a fragmented message, reassembled
    int messageLength = 0;
    int messageOpcode = -1;
    String why = "end of stream";
    boolean byPeer = true;
    try {
      while (true) {
        // parse every complete frame in buf[start, end)
        while (end - start >= 2) {
          int b0 = buf[start] & 0xff;
          int b1 = buf[start + 1] & 0xff;
          if ((b1 & 0x80) != 0) {
            throw new IOException("a masked frame from the server");
          }
          long length = b1 & 0x7f;
          int headSize = 2;
          if (length == 126) {
            headSize = 4;
          } else if (length == 127) {
            headSize = 10;
          }
          if (end - start < headSize) {
            break;
          }
          if (headSize == 4) {
            length = (buf[start + 2] & 0xff) << 8 | (buf[start + 3] & 0xff);
          } else if (headSize == 10) {
            length = (long) LONG.get(buf, start + 2);
          }
          if (length > 16L << 20) {
            throw new IOException("a frame of " + length + " bytes");
          }
          if (end - start < headSize + length) {
            if (headSize + length > buf.length) {
              buf = Arrays.copyOf(buf, (int) (headSize + length) * 2);
            }
            break;
          }
          int payload = start + headSize;
          int n = (int) length;
          start = payload + n;
          boolean fin = (b0 & 0x80) != 0;
          int opcode = b0 & 0x0f;
          switch (opcode) {
            case OP_BINARY, OP_TEXT, OP_CONTINUATION -> {
              if (opcode != OP_CONTINUATION) {
                messageOpcode = opcode;
                messageLength = 0;
              }
              if (fin && messageLength == 0) {
                deliver(listener, messageOpcode, buf, payload, n);
              } else {
                if (messageLength + n > message.length) {
                  message = Arrays.copyOf(message, Math.max(message.length * 2, messageLength + n));
                }
                System.arraycopy(buf, payload, message, messageLength, n);
                messageLength += n;
                if (fin) {
                  deliver(listener, messageOpcode, message, 0, messageLength);
                  messageLength = 0;
                }
              }
            }
            case OP_PING -> writeFrame(OP_PONG, buf, payload, n);
            case OP_PONG -> {}
            case OP_CLOSE -> {
              int code = n >= 2 ? (buf[payload] & 0xff) << 8 | (buf[payload + 1] & 0xff) : 1005;
              String reason =
                  new String(
                      buf, payload + Math.min(n, 2), Math.max(0, n - 2), StandardCharsets.UTF_8);
              why = "closed by the server: " + code + " " + reason;
              if (!closed) {
                closed = true;
                writeFrame(OP_CLOSE, buf, payload, Math.min(n, 2));
              } else {
                byPeer = false; // the answer to our own close
              }
              return;
            }
            default -> throw new IOException("a frame with opcode " + opcode);
          }
        }
        if (start == end) {
          start = 0;
          end = 0;
        } else if (buf.length - end < 16 * 1024) {
          System.arraycopy(buf, start, buf, 0, end - start);
          end -= start;
          start = 0;
        }
        int read = in.read(buf, end, buf.length - end);
        if (read < 0) {
          return;
        }
        end += read;
      }
    } catch (IOException | RuntimeException e) {
      why = closed ? "closed" : "failed: " + e;
      byPeer = !closed;
    } finally {
      closed = true;
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      listener.onEnd(why, byPeer);
    }
  }

  private static void deliver(Listener listener, int opcode, byte[] buf, int offset, int length) {
    if (opcode == OP_BINARY) {
      listener.onBinary(buf, offset, length, System.nanoTime());
    } else {
      listener.onText();
    }
  }

  boolean isClosed() {
    return closed;
  }

  /** Sends a normal close (1000) and waits up to 5 s for the server's, then drops the socket. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        writeFrame(OP_CLOSE, new byte[] {0x03, (byte) 0xe8}, 0, 2);
        socket.shutdownOutput();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!socket.isClosed() && System.nanoTime() < deadline) {
          Thread.sleep(2);
        }
      } catch (IOException | InterruptedException e) {
        // dropping it below either way
      }
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }
}
