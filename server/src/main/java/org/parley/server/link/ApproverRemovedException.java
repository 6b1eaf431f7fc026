package org.parley.server.link;

/**
 * The approving device was removed before its approval committed. Refused so that a published
 * device list never shows a device approved by one that had already left it.
 */
public final class ApproverRemovedException extends Exception {
  public ApproverRemovedException() {
    super("the approving device was removed");
  }
}
