package org.parley.bench;

/**
 * Where a target's receivers hand each arriving message body, {@code buf[offset, offset + length)},
 * stamped on arrival. The bytes are valid only during the call, so receivers need not copy them.
 */
@FunctionalInterface
interface ReceiptSink {
  void received(byte[] buf, int offset, int length, long receivedNanos);
}
