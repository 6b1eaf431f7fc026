package org.parley.protocol.message;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.Validation;

/**
 * POST /v1/messages/group: one group message, uploaded once, for the devices of several accounts
 * (docs/spec/api.md, "Group messages"). Every device gets the same {@code content}, a libsignal
 * SenderKeyMessage ({@code type} must be {@code sender_key_message}); each recipient names its
 * devices as a one-account send does, so the server checks each account's list on its own.
 */
public record GroupSendRequest(
    List<GroupRecipient> recipients, EnvelopeType type, byte[] content, long timestamp) {
  /** Most accounts in one upload: a group's members (docs/spec/groups.md). */
  public static final int MAX_RECIPIENTS = 1_024;

  /** Most devices in one upload, over all its accounts. */
  public static final int MAX_DEVICES = 8_192;

  public GroupSendRequest {
    recipients = Validation.list(recipients, "recipients", MAX_RECIPIENTS);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("field 'recipients' must not be empty");
    }
    Validation.required(type, "type");
    if (type != EnvelopeType.SENDER_KEY_MESSAGE) {
      throw new IllegalArgumentException(
          "field 'type' must be sender_key_message: only a group message is the same for every"
              + " device");
    }
    content = Validation.bytes(content, "content", 1, OutgoingMessage.MAX_CONTENT);
    if (timestamp <= 0) {
      throw new IllegalArgumentException("field 'timestamp' must be positive");
    }
    var accounts = new HashSet<AccountId>();
    int devices = 0;
    for (GroupRecipient r : recipients) {
      if (!accounts.add(r.accountId())) {
        throw new IllegalArgumentException(
            "account " + r.accountId() + " appears twice in 'recipients'");
      }
      devices += r.devices().size();
    }
    if (devices > MAX_DEVICES) {
      throw new IllegalArgumentException(
          "at most " + MAX_DEVICES + " devices in one group message, not " + devices);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GroupSendRequest g
        && recipients.equals(g.recipients)
        && type == g.type
        && java.util.Arrays.equals(content, g.content)
        && timestamp == g.timestamp;
  }

  @Override
  public int hashCode() {
    return Objects.hash(recipients, type, java.util.Arrays.hashCode(content), timestamp);
  }

  @Override
  public String toString() {
    return "GroupSendRequest[" + recipients.size() + " recipients, " + content.length + " bytes]";
  }
}
