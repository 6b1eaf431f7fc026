package org.parley.bench;

/** Where a target's receivers hand each arriving message body, stamped on arrival. */
@FunctionalInterface
interface ReceiptSink {
  void received(byte[] body, long receivedNanos);
}
