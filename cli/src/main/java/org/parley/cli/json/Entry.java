package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Locale;
import org.parley.client.HistoryEntry;

/**
 * A history entry ({@code parley history HANDLE}, {@code parley outbox}, and inside the message
 * events): a text, an error entry or a device change. The delivery fields are there for outgoing
 * texts only; {@code messageId} is absent for error and device entries. What people did to a text
 * is there when it applies: {@code readBy} (who read one of ours), {@code replyTo} (the id it
 * answers), {@code edits} (how often it was edited; {@code text} is the latest), {@code unsent}
 * ({@code text} is then empty), {@code reactions}, {@code expiresAt} (when a disappearing text
 * goes) and {@code readAt} (when this device showed a text from someone else).
 */
public record Entry(
    String peer,
    String kind,
    String direction,
    @JsonInclude(Include.NON_NULL) String messageId,
    String sender,
    int senderDevice,
    String text,
    long sentAt,
    long storedAt,
    @JsonInclude(Include.NON_NULL) Integer deliveredDevices,
    @JsonInclude(Include.NON_NULL) Integer recipientDevices,
    @JsonInclude(Include.NON_NULL) String status,
    @JsonInclude(Include.NON_NULL) String sendState,
    @JsonInclude(Include.NON_NULL) String problem,
    @JsonInclude(Include.NON_EMPTY) List<String> readBy,
    @JsonInclude(Include.NON_NULL) String replyTo,
    @JsonInclude(Include.NON_DEFAULT) int edits,
    @JsonInclude(Include.NON_DEFAULT) boolean unsent,
    @JsonInclude(Include.NON_EMPTY) List<Reaction> reactions,
    @JsonInclude(Include.NON_NULL) Long expiresAt,
    @JsonInclude(Include.NON_NULL) Long readAt)
    implements JsonLine {

  /** A person's reaction to the message. */
  public record Reaction(String sender, String reaction) {}

  public static Entry of(HistoryEntry e) {
    HistoryEntry.Delivery d = e.delivery().orElse(null);
    return new Entry(
        e.peer(),
        lower(e.kind()),
        lower(e.direction()),
        e.messageId().orElse(null),
        e.senderHandle(),
        e.senderDevice(),
        e.text(),
        e.sentAt().toEpochMilli(),
        e.storedAt().toEpochMilli(),
        d == null ? null : d.delivered(),
        d == null ? null : d.recipientDevices().orElse(null),
        d == null ? null : d.describe(),
        d == null ? null : lower(d.state()),
        d == null ? null : d.problem().orElse(null),
        d == null ? List.of() : d.readBy(),
        e.replyTo().orElse(null),
        e.edits(),
        e.unsent(),
        e.reactions().stream().map(r -> new Reaction(r.sender(), r.reaction())).toList(),
        e.expiresAt().map(java.time.Instant::toEpochMilli).orElse(null),
        e.readAt().map(java.time.Instant::toEpochMilli).orElse(null));
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
