package org.parley.client.kt;

import org.parley.client.ClientException;

/**
 * The log has no version for a label yet: a registration or device change is published at the
 * server's next epoch, a few seconds later. Not an alarm; retry shortly.
 */
public final class NotPublishedException extends ClientException {
  public NotPublishedException(String message) {
    super(message);
  }
}
