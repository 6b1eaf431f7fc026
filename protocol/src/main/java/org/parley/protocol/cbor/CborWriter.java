package org.parley.protocol.cbor;

import java.util.Arrays;

/**
 * Writes RFC 8949 section 4.2.1 deterministic CBOR: shortest arguments, definite lengths, shortest
 * exact floats. Map entries are written in the order given; callers sort them.
 */
public final class CborWriter {
  static final int MAJOR_UNSIGNED = 0;
  static final int MAJOR_NEGATIVE = 1;
  static final int MAJOR_BYTES = 2;
  static final int MAJOR_TEXT = 3;
  static final int MAJOR_ARRAY = 4;
  static final int MAJOR_MAP = 5;
  static final int MAJOR_TAG = 6;
  static final int MAJOR_SIMPLE = 7;

  // A plain growing array, not a ByteArrayOutputStream: that synchronizes every byte written, and
  // the server writes a head of a few bytes for every field of every frame.
  private final Output out = new Output();

  public byte[] toByteArray() {
    return out.toByteArray();
  }

  public CborWriter writeUnsigned(long raw) {
    return head(MAJOR_UNSIGNED, raw);
  }

  public CborWriter writeInteger(long value) {
    return value >= 0 ? head(MAJOR_UNSIGNED, value) : head(MAJOR_NEGATIVE, -1 - value);
  }

  public CborWriter writeBytes(ByteString value) {
    head(MAJOR_BYTES, value.size());
    out.writeBytes(value.toByteArray());
    return this;
  }

  /** A byte string from an array, without wrapping it in a {@link ByteString} first. */
  public CborWriter writeBytes(byte[] value) {
    head(MAJOR_BYTES, value.length);
    out.writeBytes(value);
    return this;
  }

  public CborWriter writeText(String value) {
    byte[] utf8 = Utf8.encode(Utf8.requireWellFormed(value, "text"));
    head(MAJOR_TEXT, utf8.length);
    out.writeBytes(utf8);
    return this;
  }

  public CborWriter writeArrayHeader(int size) {
    return head(MAJOR_ARRAY, size);
  }

  public CborWriter writeMapHeader(int size) {
    return head(MAJOR_MAP, size);
  }

  public CborWriter writeNull() {
    out.write(0xf6);
    return this;
  }

  public CborWriter writeBoolean(boolean value) {
    out.write(value ? 0xf5 : 0xf4);
    return this;
  }

  public CborWriter writeValue(CborValue value) {
    switch (value) {
      case CborValue.UnsignedInt u -> head(MAJOR_UNSIGNED, u.raw());
      case CborValue.NegativeInt n -> head(MAJOR_NEGATIVE, n.raw());
      case CborValue.Bytes b -> writeBytes(b.value());
      case CborValue.Text t -> writeText(t.value());
      case CborValue.Array a -> {
        writeArrayHeader(a.items().size());
        a.items().forEach(this::writeValue);
      }
      case CborValue.MapValue m -> {
        writeMapHeader(m.entries().size());
        for (CborValue.Entry e : m.entries()) {
          writeValue(e.key());
          writeValue(e.value());
        }
      }
      case CborValue.Tagged t -> {
        head(MAJOR_TAG, t.tag());
        writeValue(t.content());
      }
      case CborValue.Simple s -> {
        if (s.value() < 24) {
          out.write(0xe0 | s.value());
        } else {
          out.write(0xf8);
          out.write(s.value());
        }
      }
      case CborValue.FloatValue f -> writeFloat(f.value());
    }
    return this;
  }

  /** The deterministic encoding of one value on its own, e.g. to sort map keys. */
  public static byte[] encode(CborValue value) {
    return new CborWriter().writeValue(value).toByteArray();
  }

  private void writeFloat(double value) {
    if (Double.isNaN(value)) {
      // The draft allows exactly one NaN: the half-width quiet NaN.
      out.write(0xf9);
      out.write(0x7e);
      out.write(0x00);
      return;
    }
    if (Floats.fitsHalf(value)) {
      out.write(0xf9);
      bigEndian(Float.floatToFloat16((float) value) & 0xffffL, 2);
    } else if (Floats.fitsSingle(value)) {
      out.write(0xfa);
      bigEndian(Float.floatToRawIntBits((float) value) & 0xffffffffL, 4);
    } else {
      out.write(0xfb);
      bigEndian(Double.doubleToRawLongBits(value), 8);
    }
  }

  private CborWriter head(int major, long argument) {
    int type = major << 5;
    if (Long.compareUnsigned(argument, 24) < 0) {
      out.write(type | (int) argument);
    } else if (Long.compareUnsigned(argument, 0xffL) <= 0) {
      out.write(type | 24);
      bigEndian(argument, 1);
    } else if (Long.compareUnsigned(argument, 0xffffL) <= 0) {
      out.write(type | 25);
      bigEndian(argument, 2);
    } else if (Long.compareUnsigned(argument, 0xffffffffL) <= 0) {
      out.write(type | 26);
      bigEndian(argument, 4);
    } else {
      out.write(type | 27);
      bigEndian(argument, 8);
    }
    return this;
  }

  private void bigEndian(long value, int octets) {
    for (int shift = (octets - 1) * 8; shift >= 0; shift -= 8) {
      out.write((int) (value >>> shift) & 0xff);
    }
  }

  /** The bytes written so far. */
  private static final class Output {
    private byte[] buf = new byte[256];
    private int size;

    void write(int b) {
      if (size == buf.length) {
        grow(1);
      }
      buf[size++] = (byte) b;
    }

    void writeBytes(byte[] bytes) {
      if (buf.length - size < bytes.length) {
        grow(bytes.length);
      }
      System.arraycopy(bytes, 0, buf, size, bytes.length);
      size += bytes.length;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, size);
    }

    private void grow(int more) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, Math.addExact(size, more)));
    }
  }
}
