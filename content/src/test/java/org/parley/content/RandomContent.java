package org.parley.content;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborValue;

/** Builds arbitrary valid MimiContent values from a seeded Random, for property tests. */
final class RandomContent {
  private static final String[] TEXT = {
    "", "a", "en", "fr,de", "text/plain;charset=utf-8", "❤", "🥳 ok", "ü"
  };

  private RandomContent() {}

  static MimiContent generate(Random r) {
    return new MimiContent(
        new Salt(bytes(r, Salt.SIZE)),
        r.nextBoolean() ? Optional.empty() : Optional.of(new MessageId(bytes(r, MessageId.SIZE))),
        bytes(r, r.nextInt(3) == 0 ? r.nextInt(40) : 0),
        r.nextBoolean()
            ? Optional.empty()
            : Optional.of(new Expiration(r.nextBoolean(), r.nextLong(Expiration.MAX_SECONDS + 1))),
        r.nextBoolean() ? Optional.empty() : Optional.of(new MessageId(bytes(r, MessageId.SIZE))),
        extensions(r),
        part(r, 1));
  }

  private static Extensions extensions(Random r) {
    List<CborValue.Entry> entries = new ArrayList<>();
    if (r.nextInt(4) != 0) {
      entries.add(
          new CborValue.Entry(
              CborValue.integer(1), CborValue.text("mimi://a.example/u/" + r.nextInt(1000))));
    }
    if (r.nextInt(4) != 0) {
      entries.add(
          new CborValue.Entry(
              CborValue.integer(2), CborValue.text("mimi://a.example/r/" + r.nextInt(1000))));
    }
    int extra = r.nextInt(3);
    for (int i = 0; i < extra; i++) {
      CborValue key =
          switch (r.nextInt(3)) {
            case 0 -> CborValue.integer(3 + i * 1000L + r.nextInt(1000));
            case 1 -> CborValue.integer(-1 - i * 1000L - r.nextInt(1000));
            default -> CborValue.text("x-" + i + "-" + r.nextInt(100));
          };
      entries.add(new CborValue.Entry(key, value(r, Extensions.MAX_VALUE_DEPTH)));
    }
    return new Extensions(entries);
  }

  private static CborValue value(Random r, int depth) {
    int kind = r.nextInt(depth > 0 ? 10 : 7);
    return switch (kind) {
      case 0 -> CborValue.integer(r.nextLong());
      case 1 -> new CborValue.UnsignedInt(r.nextLong()); // covers the full unsigned 64-bit range
      case 2 -> new CborValue.Bytes(bytes(r, r.nextInt(5)));
      case 3 -> CborValue.text(TEXT[r.nextInt(TEXT.length)]);
      case 4 -> new CborValue.Simple(new int[] {20, 21, 22, 23, 0, 19, 32, 255}[r.nextInt(8)]);
      case 5 ->
          new CborValue.FloatValue(
              new double[] {
                    0.0,
                    -0.0,
                    1.5,
                    1e300,
                    0.1,
                    Double.NaN,
                    Double.NEGATIVE_INFINITY,
                    65504.0,
                    3.4028234663852886E38
                  }
                  [r.nextInt(9)]);
      case 6 -> CborValue.integer(r.nextInt(50) - 25);
      case 7 -> {
        List<CborValue> items = new ArrayList<>();
        for (int i = r.nextInt(3); i > 0; i--) {
          items.add(value(r, depth - 1));
        }
        yield new CborValue.Array(items);
      }
      case 8 -> {
        List<CborValue.Entry> entries = new ArrayList<>();
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
          entries.add(new CborValue.Entry(CborValue.integer(i), value(r, depth - 1)));
        }
        yield new CborValue.MapValue(entries);
      }
      default -> new CborValue.Tagged(r.nextInt(2000), value(r, depth - 1));
    };
  }

  private static NestedPart part(Random r, int level) {
    Disposition disposition = new Disposition(r.nextInt(3) == 0 ? r.nextInt(256) : 1);
    String language = TEXT[r.nextInt(3)];
    int kind = r.nextInt(level < NestedPart.MAX_DEPTH ? 4 : 3);
    Part part =
        switch (kind) {
          case 0 -> NullPart.INSTANCE;
          case 1 -> new SinglePart(TEXT[r.nextInt(TEXT.length)], bytes(r, r.nextInt(30)));
          case 2 ->
              new ExternalPart(
                  "video/mp4",
                  "https://example.com/" + r.nextInt(),
                  r.nextLong(0x100000000L),
                  r.nextLong(),
                  r.nextInt(0x10000),
                  bytes(r, 16),
                  bytes(r, 12),
                  bytes(r, r.nextInt(3)),
                  r.nextInt(256),
                  bytes(r, 32),
                  TEXT[r.nextInt(TEXT.length)],
                  TEXT[r.nextInt(TEXT.length)]);
          default -> {
            List<NestedPart> children = new ArrayList<>();
            for (int i = 2 + r.nextInt(2); i > 0; i--) {
              children.add(part(r, level + 1));
            }
            yield new MultiPart(PartSemantics.values()[r.nextInt(3)], children);
          }
        };
    return new NestedPart(disposition, language, part);
  }

  private static ByteString bytes(Random r, int size) {
    byte[] b = new byte[size];
    r.nextBytes(b);
    return ByteString.of(b);
  }
}
