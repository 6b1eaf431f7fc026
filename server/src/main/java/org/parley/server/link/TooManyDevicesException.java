package org.parley.server.link;

/** The account has handed out every device id (1..127); ids are never reused. */
public final class TooManyDevicesException extends Exception {
  public TooManyDevicesException() {
    super("this account has used all 127 device ids");
  }
}
