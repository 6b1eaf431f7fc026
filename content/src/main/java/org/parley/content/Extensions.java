package org.parley.content;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborValue;
import org.parley.protocol.cbor.CborWriter;

/**
 * The {@code mimiExtensions} map. Keys 1 (senderUri) and 2 (roomUri) are the draft's; any other
 * integer or 1..255-octet text key is carried unchanged. Entries are kept in deterministic order.
 */
public record Extensions(List<CborValue.Entry> entries) {
  public static final long SENDER_URI = 1;
  public static final long ROOM_URI = 2;
  public static final int MAX_TEXT_KEY_OCTETS = 255;

  /**
   * The extensions map is level 1; a value may nest three more levels (draft "Depth restrictions").
   */
  public static final int MAX_VALUE_DEPTH = 3;

  public static final Extensions NONE = new Extensions(List.of());

  public Extensions {
    List<CborValue.Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(e -> CborWriter.encode(e.key()), Arrays::compareUnsigned));
    for (int i = 0; i < sorted.size(); i++) {
      CborValue.Entry entry = sorted.get(i);
      checkKey(entry.key());
      if (i > 0 && sorted.get(i - 1).key().equals(entry.key())) {
        throw new IllegalArgumentException("duplicate extension key " + entry.key());
      }
      if (isWellKnown(entry.key()) && !(entry.value() instanceof CborValue.Text)) {
        throw new IllegalArgumentException("senderUri and roomUri must be text strings");
      }
      checkValue(entry.value(), MAX_VALUE_DEPTH);
    }
    entries = List.copyOf(sorted);
  }

  /** The two URIs Parley always sends, so the message id can be checked from the plaintext. */
  public static Extensions of(MimiUri sender, MimiUri room) {
    return new Extensions(
        List.of(
            new CborValue.Entry(
                new CborValue.UnsignedInt(SENDER_URI), CborValue.text(sender.value())),
            new CborValue.Entry(
                new CborValue.UnsignedInt(ROOM_URI), CborValue.text(room.value()))));
  }

  public Optional<String> senderUri() {
    return text(SENDER_URI);
  }

  public Optional<String> roomUri() {
    return text(ROOM_URI);
  }

  public Optional<CborValue> get(CborValue key) {
    return entries.stream()
        .filter(e -> e.key().equals(key))
        .map(CborValue.Entry::value)
        .findFirst();
  }

  private Optional<String> text(long key) {
    return get(new CborValue.UnsignedInt(key)).map(v -> ((CborValue.Text) v).value());
  }

  private static boolean isWellKnown(CborValue key) {
    return key instanceof CborValue.UnsignedInt(long raw) && (raw == SENDER_URI || raw == ROOM_URI);
  }

  private static void checkKey(CborValue key) {
    switch (key) {
      case CborValue.UnsignedInt(long raw) -> checkSafe(raw);
      case CborValue.NegativeInt(long raw) -> checkSafe(raw);
      case CborValue.Text(String text) -> {
        int octets = text.getBytes(StandardCharsets.UTF_8).length;
        if (octets < 1 || octets > MAX_TEXT_KEY_OCTETS) {
          throw new IllegalArgumentException("text extension keys must be 1..255 octets");
        }
      }
      default -> throw new IllegalArgumentException("extension keys must be integers or text");
    }
  }

  private static void checkSafe(long raw) {
    if (Long.compareUnsigned(raw, (1L << 53) - 1) > 0) {
      throw new IllegalArgumentException("integer extension keys must be within +/-(2^53-1)");
    }
  }

  /** Mirrors what {@link CborReader#readValue} accepts, so everything built can be decoded. */
  private static void checkValue(CborValue value, int depth) {
    switch (value) {
      case CborValue.Array a -> {
        requireDepth(depth);
        a.items().forEach(item -> checkValue(item, depth - 1));
      }
      case CborValue.MapValue m -> {
        requireDepth(depth);
        byte[] previous = null;
        for (CborValue.Entry e : m.entries()) {
          switch (e.key()) {
            case CborValue.UnsignedInt(long raw) -> checkSafe(raw);
            case CborValue.NegativeInt(long raw) -> checkSafe(raw);
            case CborValue.Text t -> {}
            case CborValue.Bytes b -> {}
            default -> throw new IllegalArgumentException("nested map keys: int, text or bytes");
          }
          byte[] key = CborWriter.encode(e.key());
          if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
            throw new IllegalArgumentException("nested map keys must be unique and sorted");
          }
          previous = key;
          checkValue(e.value(), depth - 1);
        }
      }
      case CborValue.Tagged t -> {
        requireDepth(depth);
        checkValue(t.content(), depth - 1);
      }
      default -> {}
    }
  }

  private static void requireDepth(int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("extension value nested more than 4 levels deep");
    }
  }
}
