package org.parley.server.link;

/** The account has 127 devices, every device id libsignal allows; removing one frees its id. */
public final class TooManyDevicesException extends Exception {
  public TooManyDevicesException() {
    super("this account has 127 devices, as many as it can have; remove one first");
  }
}
