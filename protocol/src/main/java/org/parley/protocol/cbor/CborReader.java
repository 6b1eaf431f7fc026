package org.parley.protocol.cbor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A strict reader of deterministic CBOR (RFC 8949 section 4.2.1) over a byte array. It accepts only
 * the encoding {@link CborWriter} would produce, so anything it reads re-encodes to the same bytes;
 * lengths are checked against the remaining input before anything is allocated.
 */
public final class CborReader {
  /** Integer map keys must survive a round trip through a double (draft data-model rules). */
  static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  private final byte[] in;
  private int pos;

  public CborReader(byte[] in) {
    this.in = in.clone();
  }

  public int position() {
    return pos;
  }

  public void requireEnd(String what) throws CborException {
    if (pos != in.length) {
      throw error(what, "trailing " + (in.length - pos) + " byte(s) after the data item");
    }
  }

  /** Consumes a CBOR null and returns true, or leaves the input alone and returns false. */
  public boolean tryReadNull(String field) throws CborException {
    need(field, 1);
    if ((in[pos] & 0xff) == 0xf6) {
      pos++;
      return true;
    }
    return false;
  }

  public boolean readBoolean(String field) throws CborException {
    need(field, 1);
    int b = in[pos] & 0xff;
    if (b != 0xf4 && b != 0xf5) {
      throw error(field, "expected a boolean, found " + describe(b));
    }
    pos++;
    return b == 0xf5;
  }

  /** An unsigned integer no greater than {@code max} (compared as unsigned). */
  public long readUnsigned(String field, long max) throws CborException {
    int start = pos;
    long value = head(field, CborWriter.MAJOR_UNSIGNED);
    if (Long.compareUnsigned(value, max) > 0) {
      pos = start;
      throw error(field, "value " + Long.toUnsignedString(value) + " exceeds " + max);
    }
    return value;
  }

  public ByteString readBytes(String field) throws CborException {
    int length = length(field, head(field, CborWriter.MAJOR_BYTES), 1);
    ByteString value = ByteString.of(Arrays.copyOfRange(in, pos, pos + length));
    pos += length;
    return value;
  }

  /** A byte string as a fresh array (one copy, where {@link #readBytes(String)} makes two). */
  public byte[] readByteArray(String field) throws CborException {
    int length = length(field, head(field, CborWriter.MAJOR_BYTES), 1);
    byte[] value = Arrays.copyOfRange(in, pos, pos + length);
    pos += length;
    return value;
  }

  public ByteString readBytes(String field, int exactSize) throws CborException {
    int start = pos;
    ByteString value = readBytes(field);
    if (value.size() != exactSize) {
      pos = start;
      throw error(field, "expected " + exactSize + " bytes, found " + value.size());
    }
    return value;
  }

  public String readText(String field) throws CborException {
    int start = pos;
    int length = length(field, head(field, CborWriter.MAJOR_TEXT), 1);
    String value =
        Utf8.decode(in, pos, length)
            .orElseThrow(() -> errorAt(start, field, "text string is not valid UTF-8"));
    pos += length;
    return value;
  }

  public int readArrayHeader(String field) throws CborException {
    return length(field, head(field, CborWriter.MAJOR_ARRAY), 1);
  }

  public void readArrayHeader(String field, int expected) throws CborException {
    int start = pos;
    int size = readArrayHeader(field);
    if (size != expected) {
      throw errorAt(start, field, "expected an array of " + expected + ", found " + size);
    }
  }

  public int readMapHeader(String field) throws CborException {
    return length(field, head(field, CborWriter.MAJOR_MAP), 2);
  }

  /**
   * Any data item, with arrays, maps and tags nested at most {@code depth} levels; map keys are
   * restricted to integers, text and byte strings, in strictly increasing encoded order.
   */
  public CborValue readValue(String field, int depth) throws CborException {
    need(field, 1);
    int start = pos;
    int initial = in[pos] & 0xff;
    int major = initial >>> 5;
    if (major >= CborWriter.MAJOR_ARRAY && major <= CborWriter.MAJOR_TAG && depth < 1) {
      throw error(field, "nested more deeply than allowed");
    }
    return switch (major) {
      case CborWriter.MAJOR_UNSIGNED -> new CborValue.UnsignedInt(head(field, major));
      case CborWriter.MAJOR_NEGATIVE -> new CborValue.NegativeInt(head(field, major));
      case CborWriter.MAJOR_BYTES -> new CborValue.Bytes(readBytes(field));
      case CborWriter.MAJOR_TEXT -> new CborValue.Text(readText(field));
      case CborWriter.MAJOR_ARRAY -> {
        int size = readArrayHeader(field);
        List<CborValue> items = new ArrayList<>(Math.min(size, 64));
        for (int i = 0; i < size; i++) {
          items.add(readValue(field, depth - 1));
        }
        yield new CborValue.Array(items);
      }
      case CborWriter.MAJOR_MAP -> readMap(field, depth);
      case CborWriter.MAJOR_TAG -> {
        long tag = head(field, major);
        yield new CborValue.Tagged(tag, readValue(field, depth - 1));
      }
      default -> readSimpleOrFloat(field, start, initial);
    };
  }

  private CborValue readMap(String field, int depth) throws CborException {
    int size = readMapHeader(field);
    List<CborValue.Entry> entries = new ArrayList<>(Math.min(size, 64));
    int previousStart = -1;
    int previousEnd = -1;
    for (int i = 0; i < size; i++) {
      int keyStart = pos;
      CborValue key = readKey(field);
      int keyEnd = pos;
      if (previousStart >= 0) {
        int order = Arrays.compareUnsigned(in, previousStart, previousEnd, in, keyStart, keyEnd);
        if (order == 0) {
          throw errorAt(keyStart, field, "duplicate map key");
        }
        if (order > 0) {
          throw errorAt(keyStart, field, "map keys are not in deterministic (sorted) order");
        }
      }
      previousStart = keyStart;
      previousEnd = keyEnd;
      entries.add(new CborValue.Entry(key, readValue(field, depth - 1)));
    }
    return new CborValue.MapValue(entries);
  }

  /** A map key: an integer within +/-(2^53-1), a text string or a byte string. */
  public CborValue readKey(String field) throws CborException {
    need(field, 1);
    int start = pos;
    int major = (in[pos] & 0xff) >>> 5;
    switch (major) {
      case CborWriter.MAJOR_UNSIGNED, CborWriter.MAJOR_NEGATIVE -> {
        long raw = head(field, major);
        if (Long.compareUnsigned(raw, MAX_SAFE_INTEGER) > 0) {
          throw errorAt(start, field, "integer map key outside +/-(2^53-1)");
        }
        return major == CborWriter.MAJOR_UNSIGNED
            ? new CborValue.UnsignedInt(raw)
            : new CborValue.NegativeInt(raw);
      }
      case CborWriter.MAJOR_BYTES -> {
        return new CborValue.Bytes(readBytes(field));
      }
      case CborWriter.MAJOR_TEXT -> {
        return new CborValue.Text(readText(field));
      }
      default -> throw error(field, "map key must be an integer, text or byte string");
    }
  }

  private CborValue readSimpleOrFloat(String field, int start, int initial) throws CborException {
    int info = initial & 0x1f;
    pos++;
    if (info < 24) {
      return new CborValue.Simple(info);
    }
    switch (info) {
      case 24 -> {
        need(field, 1);
        int value = in[pos++] & 0xff;
        if (value < 32) {
          throw errorAt(start, field, "simple value " + value + " in two-byte form");
        }
        return new CborValue.Simple(value);
      }
      case 25 -> {
        need(field, 2);
        short bits = (short) bigEndian(2);
        float value = Float.float16ToFloat(bits);
        if (Float.isNaN(value) && (bits & 0xffff) != 0x7e00) {
          throw errorAt(start, field, "only the half-width quiet NaN 0xf97e00 is allowed");
        }
        return new CborValue.FloatValue(value);
      }
      case 26 -> {
        need(field, 4);
        float value = Float.intBitsToFloat((int) bigEndian(4));
        requireShortestFloat(field, start, value, Floats.fitsHalf(value));
        return new CborValue.FloatValue(value);
      }
      case 27 -> {
        need(field, 8);
        double value = Double.longBitsToDouble(bigEndian(8));
        requireShortestFloat(field, start, value, Floats.fitsSingle(value));
        return new CborValue.FloatValue(value);
      }
      case 31 -> throw errorAt(start, field, "unexpected break; indefinite lengths are forbidden");
      default -> throw errorAt(start, field, "reserved additional information " + info);
    }
  }

  private void requireShortestFloat(String field, int start, double value, boolean fitsNarrower)
      throws CborException {
    if (Double.isNaN(value)) {
      throw errorAt(start, field, "only the half-width quiet NaN 0xf97e00 is allowed");
    }
    if (fitsNarrower) {
      throw errorAt(start, field, "float is not in its shortest exact encoding");
    }
  }

  /** Reads an initial byte of the given major type and its argument, in shortest form only. */
  private long head(String field, int expectedMajor) throws CborException {
    need(field, 1);
    int start = pos;
    int initial = in[pos] & 0xff;
    if (initial >>> 5 != expectedMajor) {
      throw error(field, "expected " + MAJOR_NAMES[expectedMajor] + ", found " + describe(initial));
    }
    int info = initial & 0x1f;
    pos++;
    if (info < 24) {
      return info;
    }
    if (info == 31) {
      throw errorAt(start, field, "indefinite-length encoding is forbidden");
    }
    if (info > 27) {
      throw errorAt(start, field, "reserved additional information " + info);
    }
    int octets = 1 << (info - 24);
    need(field, octets);
    long value = bigEndian(octets);
    long smallest = octets == 1 ? 24 : 1L << (8 * (octets / 2));
    if (Long.compareUnsigned(value, smallest) < 0) {
      throw errorAt(start, field, "argument not in its shortest encoding");
    }
    return value;
  }

  /** A length that fits in the rest of the input, each element taking at least minOctets. */
  private int length(String field, long declared, int minOctets) throws CborException {
    long available = (in.length - pos) / minOctets;
    if (Long.compareUnsigned(declared, available) > 0) {
      throw error(
          field,
          "declared length " + Long.toUnsignedString(declared) + " exceeds the remaining input");
    }
    return (int) declared;
  }

  private long bigEndian(int octets) {
    long value = 0;
    for (int i = 0; i < octets; i++) {
      value = (value << 8) | (in[pos++] & 0xff);
    }
    return value;
  }

  private void need(String field, int octets) throws CborException {
    if (in.length - pos < octets) {
      throw error(field, "input truncated");
    }
  }

  private CborException error(String field, String reason) {
    return errorAt(pos, field, reason);
  }

  private static CborException errorAt(int offset, String field, String reason) {
    return new CborException(field + " at offset " + offset + ": " + reason);
  }

  private static final String[] MAJOR_NAMES = {
    "an unsigned integer", "a negative integer", "a byte string", "a text string",
    "an array", "a map", "a tag", "a simple value or float"
  };

  private static String describe(int initial) {
    if (initial == 0xf6) {
      return "null";
    }
    return MAJOR_NAMES[initial >>> 5] + " (0x" + Integer.toHexString(initial) + ")";
  }
}
