package org.parley.bench;

/**
 * The few pieces of deterministic CBOR (RFC 8949 section 4.2.1) the harness writes and reads in
 * place on WebSocket protocol version 2 (docs/spec/websocket.md). The protocol module's codec
 * builds validated records and copies its input; the harness touches every message, so it writes
 * its frames straight into one array and reads answers and envelopes where they lie, looking only
 * at what it needs. Reading is strict about what it looks at: a wrong type or a non-shortest head
 * is refused, so a server that strays from the spec shows up as an error, not as a figure.
 */
final class WireCbor {
  static final int UNSIGNED = 0;
  static final int BYTES = 2;
  static final int TEXT = 3;
  static final int ARRAY = 4;

  private WireCbor() {}

  /** Bytes the head of an item of this major type and argument takes (shortest form). */
  static int headSize(long value) {
    if (value < 24) {
      return 1;
    } else if (value < 0x100) {
      return 2;
    } else if (value < 0x1_0000) {
      return 3;
    } else if (value < 0x1_0000_0000L) {
      return 5;
    }
    return 9;
  }

  /** Writes a head in its shortest form at {@code at}; returns the position after it. */
  static int writeHead(byte[] out, int at, int major, long value) {
    int type = major << 5;
    if (value < 24) {
      out[at] = (byte) (type | value);
      return at + 1;
    } else if (value < 0x100) {
      out[at] = (byte) (type | 24);
      out[at + 1] = (byte) value;
      return at + 2;
    } else if (value < 0x1_0000) {
      out[at] = (byte) (type | 25);
      out[at + 1] = (byte) (value >>> 8);
      out[at + 2] = (byte) value;
      return at + 3;
    } else if (value < 0x1_0000_0000L) {
      out[at] = (byte) (type | 26);
      for (int i = 0; i < 4; i++) {
        out[at + 1 + i] = (byte) (value >>> (24 - 8 * i));
      }
      return at + 5;
    }
    out[at] = (byte) (type | 27);
    for (int i = 0; i < 8; i++) {
      out[at + 1 + i] = (byte) (value >>> (56 - 8 * i));
    }
    return at + 9;
  }

  /** A text string's complete encoding (head and UTF-8 bytes), as it appears on the wire. */
  static byte[] text(String value) {
    byte[] utf8 = value.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] out = new byte[headSize(utf8.length) + utf8.length];
    int at = writeHead(out, 0, TEXT, utf8.length);
    System.arraycopy(utf8, 0, out, at, utf8.length);
    return out;
  }

  /** Thrown for a frame the harness cannot read; the run reports it as a receiver error. */
  static final class Malformed extends Exception {
    Malformed(String message) {
      super(message);
    }
  }

  /** Reads items one by one from {@code buf[pos, end)}, without copying. */
  static final class Cursor {
    private byte[] buf;
    private int pos;
    private int end;

    void reset(byte[] buf, int from, int to) {
      this.buf = buf;
      this.pos = from;
      this.end = to;
    }

    int position() {
      return pos;
    }

    boolean atEnd() {
      return pos == end;
    }

    /** The next item is CBOR null (0xf6); consumes it if so. */
    boolean tryNull() throws Malformed {
      need(1);
      if ((buf[pos] & 0xff) == 0xf6) {
        pos++;
        return true;
      }
      return false;
    }

    /** Reads a head of the given major type and returns its argument. */
    long head(int major) throws Malformed {
      need(1);
      int initial = buf[pos] & 0xff;
      if (initial >>> 5 != major) {
        throw new Malformed("expected major type " + major + ", found 0x" + hex(initial));
      }
      int info = initial & 0x1f;
      pos++;
      if (info < 24) {
        return info;
      }
      int size =
          switch (info) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            default -> throw new Malformed("indefinite or reserved head 0x" + hex(initial));
          };
      need(size);
      long value = 0;
      for (int i = 0; i < size; i++) {
        value = value << 8 | (buf[pos++] & 0xff);
      }
      if (headSize(value) != size + 1 || value < 0) {
        throw new Malformed("integer " + Long.toUnsignedString(value) + " not in shortest form");
      }
      return value;
    }

    int arrayHeader() throws Malformed {
      long n = head(ARRAY);
      if (n > end - pos) {
        throw new Malformed("array of " + n + " items in " + (end - pos) + " bytes");
      }
      return (int) n;
    }

    void expectArray(int size, String what) throws Malformed {
      int n = arrayHeader();
      if (n != size) {
        throw new Malformed(what + " has " + n + " elements, expected " + size);
      }
    }

    long unsigned() throws Malformed {
      return head(UNSIGNED);
    }

    /** Skips a text or byte string of the given major type; returns where its bytes begin. */
    int string(int major) throws Malformed {
      long n = head(major);
      need(n);
      int start = pos;
      pos += (int) n;
      return start;
    }

    String text() throws Malformed {
      int start = string(TEXT);
      return new String(buf, start, pos - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void need(long n) throws Malformed {
      if (n > end - pos) {
        throw new Malformed("truncated: need " + n + " bytes, " + (end - pos) + " left");
      }
    }

    private static String hex(int b) {
      return Integer.toHexString(b);
    }
  }
}
