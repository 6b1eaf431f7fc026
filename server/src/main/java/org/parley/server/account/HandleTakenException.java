package org.parley.server.account;

import org.parley.protocol.Handle;

/** Registration lost the race for a handle (or the handle was already in use). */
public final class HandleTakenException extends Exception {
  public HandleTakenException(Handle handle) {
    super("the handle " + handle + " is taken");
  }
}
