package org.parley.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy in front of a server that can cut a connection at a chosen moment: once armed with a
 * marker, the first server-to-client chunk that contains it is passed on and then that connection
 * is closed on both sides, as a server crash or a network drop would close it right after the
 * client got the bytes. Everything else is forwarded as is. It also counts the HTTP requests it
 * carries (by their request lines), and can cut the WebSocket connections it carries.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listening;
  private final int target;
  private final AtomicReference<String> marker = new AtomicReference<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile int cuts;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> upgraded = new CopyOnWriteArrayList<>();
  private volatile boolean cutNextSocketWrite;

  CuttingProxy(URI server) {
    try {
      this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.target = server.getPort();
    Thread acceptor = new Thread(this::accept, "proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + listening.getLocalPort());
  }

  /** Cuts the next connection whose server side sends {@code text}. */
  void cutAfter(String text) {
    marker.set(text);
  }

  /** The request lines ("PUT /v1/messages/...") carried so far, WebSocket upgrades included. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** Closes every WebSocket connection carried now, as a network drop would. */
  void cutSockets() {
    upgraded.forEach(CuttingProxy::closeQuietly);
    upgraded.clear();
  }

  /**
   * Passes the next bytes a client writes on a WebSocket on to the server, then closes that
   * connection before any answer can come back: the client cannot know whether the server took it.
   */
  void cutAfterNextSocketWrite() {
    cutNextSocketWrite = true;
  }

  /** How many connections were cut so far. */
  int cuts() {
    return cuts;
  }

  private void accept() {
    while (!listening.isClosed()) {
      try {
        Socket client = listening.accept();
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(client);
        open.add(server);
        pump(client, server, false);
        pump(server, client, true);
      } catch (IOException e) {
        // closed, or the server is down: the client sees the connection end
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromServer) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              StringBuilder line = new StringBuilder();
              boolean socket = false;
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
                  if (!fromServer && socket && cutNextSocketWrite) {
                    cutNextSocketWrite = false;
                    cuts++;
                    break;
                  }
                  if (!fromServer && !socket) {
                    socket = readLines(buffer, n, line);
                    if (socket) {
                      upgraded.add(from);
                    }
                  }
                  String m = marker.get();
                  if (fromServer
                      && m != null
                      && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains(m)
                      && marker.compareAndSet(m, null)) {
                    cuts++;
                    break;
                  }
                }
              } catch (IOException e) {
                // the other side closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Collects the request lines of an HTTP/1.1 stream (a line that starts with a method); true once
   * it saw a WebSocket upgrade (what follows is frames).
   */
  private boolean readLines(byte[] buffer, int n, StringBuilder line) {
    boolean upgrade = false;
    for (int i = 0; i < n; i++) {
      char c = (char) (buffer[i] & 0xff);
      if (c == '\n') {
        String text = line.toString().strip();
        if (text.matches("(GET|PUT|POST|DELETE|PATCH|HEAD) \\S+ HTTP/1\\.1")) {
          requests.add(text.substring(0, text.lastIndexOf(' ')));
        } else if (text.equalsIgnoreCase("upgrade: websocket")) {
          upgrade = true;
        }
        line.setLength(0);
      } else if (line.length() < 512) {
        line.append(c);
      }
    }
    return upgrade;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    try {
      listening.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(CuttingProxy::closeQuietly);
  }
}
