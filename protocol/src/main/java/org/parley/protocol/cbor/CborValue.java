package org.parley.protocol.cbor;

import java.util.List;
import java.util.Objects;

/**
 * One CBOR data item, for the parts of MIMI content whose schema is "any" (extension values). Maps
 * keep their entries in deterministic (encoded-key) order, which the writer relies on.
 */
public sealed interface CborValue {

  /** Major type 0; {@code raw} is the 64-bit unsigned argument. */
  record UnsignedInt(long raw) implements CborValue {}

  /** Major type 1; the integer is {@code -1 - raw}, with {@code raw} unsigned. */
  record NegativeInt(long raw) implements CborValue {}

  record Bytes(ByteString value) implements CborValue {
    public Bytes {
      Objects.requireNonNull(value, "value");
    }
  }

  record Text(String value) implements CborValue {
    public Text {
      Utf8.requireWellFormed(value, "text");
    }
  }

  record Array(List<CborValue> items) implements CborValue {
    public Array {
      items = List.copyOf(items);
    }
  }

  /** Entries in the order they are encoded; {@link CborWriter} and readers keep it sorted. */
  record MapValue(List<Entry> entries) implements CborValue {
    public MapValue {
      entries = List.copyOf(entries);
    }
  }

  record Entry(CborValue key, CborValue value) {
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  record Tagged(long tag, CborValue content) implements CborValue {
    public Tagged {
      Objects.requireNonNull(content, "content");
    }
  }

  /** Major type 7 simple values: 20 false, 21 true, 22 null, 23 undefined, and the rest. */
  record Simple(int value) implements CborValue {
    public Simple {
      if (value < 0 || value > 255 || (value >= 24 && value < 32)) {
        throw new IllegalArgumentException("simple value " + value + " is not encodable");
      }
    }
  }

  /** Floating point; encoded in the shortest IEEE 754 width that keeps the value exactly. */
  record FloatValue(double value) implements CborValue {}

  CborValue NULL = new Simple(22);
  CborValue FALSE = new Simple(20);
  CborValue TRUE = new Simple(21);

  static CborValue integer(long value) {
    return value >= 0 ? new UnsignedInt(value) : new NegativeInt(-1 - value);
  }

  static CborValue text(String value) {
    return new Text(value);
  }
}
