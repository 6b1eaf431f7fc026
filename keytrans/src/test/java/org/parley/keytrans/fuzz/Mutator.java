package org.parley.keytrans.fuzz;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The mutations of the fuzz run, each from a seeded {@link Random}: bit flips, byte replacements,
 * truncation, insertion, deletion, length-field inflation, duplication, splices of two valid
 * encodings and plain random bytes. Stacking two or three of them reaches deeper than one.
 */
final class Mutator {
  /** Kinds, for the per-kind counts in the report. */
  enum Kind {
    HONEST,
    BIT_FLIP,
    BYTE_SET,
    TRUNCATE,
    INSERT,
    DELETE,
    INFLATE,
    DUPLICATE,
    SPLICE,
    RANDOM,
    STACKED
  }

  /** Byte values that sit on boundaries of the fields: counts, presence bytes, enum codes. */
  private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x04, 0x7F, 0x80, 0xFE, 0xFF};

  private final Random random;

  Mutator(Random random) {
    this.random = random;
  }

  record Mutant(Kind kind, byte[] bytes) {}

  /** One mutant of {@code seed}; {@code corpus} supplies the second parent of a splice. */
  Mutant mutate(byte[] seed, List<byte[]> corpus) {
    int roll = random.nextInt(100);
    if (roll < 8) {
      return new Mutant(Kind.STACKED, apply(apply(seed, pick(), corpus), pick(), corpus));
    }
    if (roll < 12) {
      return new Mutant(Kind.RANDOM, randomBytes(random.nextInt(Math.max(8, seed.length * 2))));
    }
    Kind kind = pick();
    return new Mutant(kind, apply(seed, kind, corpus));
  }

  private Kind pick() {
    int roll = random.nextInt(100);
    if (roll < 30) {
      return Kind.BIT_FLIP;
    }
    if (roll < 48) {
      return Kind.BYTE_SET;
    }
    if (roll < 58) {
      return Kind.TRUNCATE;
    }
    if (roll < 66) {
      return Kind.INSERT;
    }
    if (roll < 74) {
      return Kind.DELETE;
    }
    if (roll < 88) {
      return Kind.INFLATE;
    }
    if (roll < 93) {
      return Kind.DUPLICATE;
    }
    return Kind.SPLICE;
  }

  byte[] apply(byte[] in, Kind kind, List<byte[]> corpus) {
    if (in.length == 0 && kind != Kind.INSERT && kind != Kind.SPLICE) {
      return randomBytes(random.nextInt(16));
    }
    return switch (kind) {
      case BIT_FLIP -> {
        byte[] out = in.clone();
        for (int n = 1 + (random.nextInt(4) == 0 ? random.nextInt(4) : 0); n > 0; n--) {
          out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        yield out;
      }
      case BYTE_SET -> {
        byte[] out = in.clone();
        for (int n = 1 + random.nextInt(3); n > 0; n--) {
          out[random.nextInt(out.length)] =
              random.nextBoolean()
                  ? (byte) INTERESTING[random.nextInt(INTERESTING.length)]
                  : (byte) random.nextInt(256);
        }
        yield out;
      }
      case TRUNCATE -> Arrays.copyOf(in, random.nextInt(in.length));
      case INSERT -> {
        int at = random.nextInt(in.length + 1);
        yield splice(in, at, at, randomBytes(1 + random.nextInt(random.nextBoolean() ? 4 : 64)));
      }
      case DELETE -> {
        int at = random.nextInt(in.length);
        int n = 1 + random.nextInt(Math.min(in.length - at, random.nextBoolean() ? 4 : 64));
        yield splice(in, at, at + n, new byte[0]);
      }
      case INFLATE -> inflate(in);
      case DUPLICATE -> {
        int at = random.nextInt(in.length);
        int n = 1 + random.nextInt(Math.min(in.length - at, 96));
        int to = random.nextInt(in.length + 1);
        yield splice(in, to, to, Arrays.copyOfRange(in, at, at + n));
      }
      case SPLICE -> {
        byte[] other = corpus.get(random.nextInt(corpus.size()));
        int cut = random.nextInt(in.length + 1);
        int from = random.nextInt(other.length + 1);
        yield splice(
            Arrays.copyOf(in, cut), cut, cut, Arrays.copyOfRange(other, from, other.length));
      }
      case HONEST -> in.clone();
      case RANDOM, STACKED -> randomBytes(in.length);
    };
  }

  /**
   * Overwrites 1, 2, 4 or 8 bytes at a random offset with a large big-endian number: the all-ones
   * count, the signed boundary, or the true value plus a little. Where that lands on a length or
   * count field, the decoder sees a vector far longer than the input.
   */
  private byte[] inflate(byte[] in) {
    int width = new int[] {1, 2, 4, 8}[random.nextInt(4)];
    byte[] out = in.clone();
    int at = random.nextInt(out.length);
    long value =
        switch (random.nextInt(4)) {
          case 0 -> -1L;
          case 1 -> 1L << (width * 8 - 1);
          case 2 -> (1L << (width * 8 - 1)) - 1;
          default -> read(out, at, width) + 1 + random.nextInt(64);
        };
    for (int i = 0; i < width && at + i < out.length; i++) {
      out[at + i] = (byte) (value >>> (8 * (width - 1 - i)));
    }
    return out;
  }

  private static long read(byte[] in, int at, int width) {
    long v = 0;
    for (int i = 0; i < width && at + i < in.length; i++) {
      v = (v << 8) | (in[at + i] & 0xFF);
    }
    return v;
  }

  byte[] randomBytes(int n) {
    byte[] out = new byte[n];
    random.nextBytes(out);
    return out;
  }

  /** {@code in} with {@code [from, to)} replaced by {@code middle}. */
  static byte[] splice(byte[] in, int from, int to, byte[] middle) {
    byte[] out = new byte[from + middle.length + in.length - to];
    System.arraycopy(in, 0, out, 0, from);
    System.arraycopy(middle, 0, out, from, middle.length);
    System.arraycopy(in, to, out, from + middle.length, in.length - to);
    return out;
  }
}
