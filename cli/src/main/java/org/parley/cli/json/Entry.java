package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.Locale;
import org.parley.client.HistoryEntry;

/**
 * A history entry ({@code parley history HANDLE}, {@code parley outbox}, and inside the message
 * events): a text, an error entry or a device change. The delivery fields are there for outgoing
 * texts only; {@code messageId} is absent for error and device entries.
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
    @JsonInclude(Include.NON_NULL) String problem)
    implements JsonLine {

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
        d == null ? null : d.problem().orElse(null));
  }

  static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
