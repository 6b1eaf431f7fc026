package org.parley.content.status;

import java.util.Objects;
import org.parley.content.MessageId;

/** The reporter's status of one message, named by its id. */
public record PerMessageStatus(MessageId messageId, MessageStatus status) {
  public PerMessageStatus {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(status, "status");
  }
}
