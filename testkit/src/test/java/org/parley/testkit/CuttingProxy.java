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
 * client got the bytes. Everything else is forwarded as is.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listening;
  private final int target;
  private final AtomicReference<String> marker = new AtomicReference<>();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private volatile int cuts;

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
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  out.write(buffer, 0, n);
                  out.flush();
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
