package org.parley.protocol.kt;

/**
 * An account's count of the devices it ever added, as the entry of the device it numbers: device
 * 1's registration is serial 1 and every accepted link takes the next, so a serial is never handed
 * out twice in an account, unlike a device id, which is a slot a removed device frees
 * (docs/spec/keytrans-values.md). A u32 on the wire, 1..2^32-1.
 */
public record LinkSerial(long value) implements Comparable<LinkSerial> {
  public static final long MAX = 0xFFFF_FFFFL;

  public LinkSerial {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException("a link serial is between 1 and " + MAX + ": " + value);
    }
  }

  public static LinkSerial of(long value) {
    return new LinkSerial(value);
  }

  @Override
  public int compareTo(LinkSerial other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
