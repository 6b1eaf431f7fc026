package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.parley.client.ChatResult;

/**
 * {@code parley reply|react|edit|unsend|timer}: the conversation (a handle, or {@code group:<id>}),
 * the id of the message that carried the action, how many devices it went to, and why it waits in
 * the outbox if the server could not take a reply yet.
 */
public record Changed(
    String conversation,
    String messageId,
    int devices,
    @JsonInclude(Include.NON_NULL) String pending)
    implements JsonLine {
  public static Changed of(ChatResult r) {
    return new Changed(r.conversation(), r.messageId(), r.devices(), r.pending().orElse(null));
  }
}
