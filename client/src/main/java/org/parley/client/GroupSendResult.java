package org.parley.client;

import java.util.List;

/**
 * What a group send reached: the message id (hex), how many devices it went to, and a note for each
 * member it could not reach, with why.
 */
public record GroupSendResult(String messageId, int devices, List<String> unreached) {
  public GroupSendResult {
    unreached = List.copyOf(unreached);
  }
}
