package org.parley.content;

/**
 * When receivers should delete a message: {@code seconds} after it is read when {@code relative},
 * else at that many seconds after the UNIX epoch. A hint, not a guarantee.
 */
public record Expiration(boolean relative, long seconds) {
  public static final long MAX_SECONDS = 0xffffffffL;

  public Expiration {
    if (seconds < 0 || seconds > MAX_SECONDS) {
      throw new IllegalArgumentException("expiration time must fit in 32 unsigned bits");
    }
  }

  public static Expiration afterReading(long seconds) {
    return new Expiration(true, seconds);
  }

  public static Expiration atEpochSecond(long seconds) {
    return new Expiration(false, seconds);
  }
}
