package org.parley.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client for the fuzzer: it sends exactly the bytes it is given (a target that is
 * not a valid URI, headers without Content-Type, invalid UTF-8), which java.net.http refuses to.
 * One connection per request ({@code Connection: close}), the answer read to the end of stream.
 */
final class FuzzClient {
  /** A header line to send as given. */
  record Header(String name, String value) {}

  /** The answer; {@code status} is -1 when the server closed without answering. */
  record Answer(int status, Map<String, String> headers, String body, long millis) {}

  static final int TIMEOUT_MILLIS = 15_000;

  private final String host;
  private final int port;

  FuzzClient(URI base) {
    this.host = base.getHost();
    this.port = base.getPort();
  }

  Answer send(String method, byte[] target, List<Header> headers, byte[] body) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    write(request, method + " ");
    request.writeBytes(target);
    write(request, " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n");
    for (Header h : headers) {
      write(request, h.name() + ": ");
      request.writeBytes(h.value().getBytes(StandardCharsets.ISO_8859_1));
      write(request, "\r\n");
    }
    if (body != null) {
      write(request, "Content-Length: " + body.length + "\r\n");
    }
    write(request, "\r\n");
    if (body != null) {
      request.writeBytes(body);
    }
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.toByteArray());
        out.flush();
      } catch (IOException e) {
        // the server may answer (e.g. 413) and close before reading everything: read the answer
      }
      byte[] raw = readAll(socket.getInputStream());
      return parse(raw, (System.nanoTime() - start) / 1_000_000);
    } catch (SocketTimeoutException e) {
      throw new AssertionError(
          "no answer within "
              + TIMEOUT_MILLIS
              + " ms (a hang): "
              + method
              + " "
              + new String(target, 0, Math.min(200, target.length), StandardCharsets.ISO_8859_1),
          e);
    } catch (IOException e) {
      throw new AssertionError("connection failed: " + e, e);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        out.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a reset after the answer was written still leaves the answer readable
      if (out.size() == 0) {
        throw reset;
      }
    }
    return out.toByteArray();
  }

  private static Answer parse(byte[] raw, long millis) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
    if (end < 0) {
      return new Answer(-1, Map.of(), new String(raw, StandardCharsets.ISO_8859_1), millis);
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8), millis);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOf(body, new byte[] {'\r', '\n'}, at);
      if (lineEnd < 0) {
        break;
      }
      String size =
          new String(body, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim();
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(body, lineEnd + 2, Math.min(n, body.length - lineEnd - 2));
      at = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
