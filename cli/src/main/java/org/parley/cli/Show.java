package org.parley.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;

/** How history entries and receive events look in plain text (as JSON: {@code cli.json}). */
final class Show {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Show() {}

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  /**
   * "2026-11-28 05:01:02 bob@localhost/1: hi" or "... -> bob@localhost: hi [delivered ...]"; {@code
   * thisDevice} is the device showing it (texts another of our devices sent say so).
   */
  static String plain(HistoryEntry e, int thisDevice) {
    String when = time(e.sentAt());
    String delivery = e.delivery().map(d -> "  [" + d.describe() + "]").orElse("");
    String id = e.shortId().map(i -> " #" + i).orElse("");
    return switch (e.kind()) {
      case ERROR -> when + "  ! " + e.peer() + "/" + e.senderDevice() + ": " + e.text();
      case DEVICE, EVENT -> when + "  * " + e.text();
      case TEXT ->
          e.direction() == HistoryEntry.Direction.IN
              ? when
                  + id
                  + "  "
                  + e.senderHandle()
                  + "/"
                  + e.senderDevice()
                  + group(e.peer(), " in ")
                  + ": "
                  + body(e)
              : when
                  + id
                  + "  -> "
                  + (e.peer().startsWith(GROUP) ? group(e.peer(), "") : e.peer())
                  + (e.senderDevice() != thisDevice
                      ? " (from your device " + e.senderDevice() + ")"
                      : "")
                  + ": "
                  + body(e)
                  + (e.unsent() ? "" : delivery);
    };
  }

  /** The text as a person expects it: latest edit, replies, reactions, when it disappears. */
  private static String body(HistoryEntry e) {
    if (e.unsent()) {
      return "(unsent)";
    }
    StringBuilder b = new StringBuilder();
    e.replyTo()
        .ifPresent(r -> b.append("(reply to #").append(r, 0, HistoryEntry.SHORT_ID).append(") "));
    b.append(e.text());
    if (e.edits() > 0) {
      b.append(" (edited)");
    }
    if (!e.reactions().isEmpty()) {
      b.append("  {");
      for (int i = 0; i < e.reactions().size(); i++) {
        HistoryEntry.Reaction r = e.reactions().get(i);
        b.append(i == 0 ? "" : ", ").append(r.reaction()).append(' ').append(r.sender());
      }
      b.append('}');
    }
    e.expiresAt().ifPresent(at -> b.append("  (disappears ").append(time(at)).append(')'));
    return b.toString();
  }

  private static final String GROUP = "group:";

  /** "group 40ceb66d" for a group conversation (its id's first 8 hex digits), else nothing. */
  private static String group(String peer, String before) {
    return peer.startsWith(GROUP)
        ? before + "group " + peer.substring(GROUP.length(), GROUP.length() + 8)
        : "";
  }

  static String plain(ClientEvent event, int thisDevice) {
    return switch (event) {
      case ClientEvent.MessageReceived r -> plain(r.entry(), thisDevice);
      case ClientEvent.SentCopyReceived s -> plain(s.entry(), thisDevice);
      case ClientEvent.DeliveryConfirmed d ->
          time(Instant.now())
              + "  receipt from "
              + d.entry().peer()
              + "/"
              + d.recipientDevice()
              + ": \""
              + abbreviate(d.entry().text())
              + "\" "
              + d.entry().delivery().map(HistoryEntry.Delivery::describe).orElse("delivered");
      case ClientEvent.EnvelopeFailed f -> plain(f.entry(), thisDevice);
      case ClientEvent.ConnectionChanged c ->
          (c.connected() ? "* " : "* disconnected: ") + c.detail();
      case ClientEvent.EnvelopeHeld h ->
          "* a message waits until the key-transparency log proves"
              + " its sender ("
              + h.reason()
              + "); it is tried again for a few epochs";
      case ClientEvent.EnvelopeRefused r -> "* " + r.reason();
      case ClientEvent.KeyTransparencyAlarm a ->
          "!!! KEY-TRANSPARENCY ALARM ("
              + a.alarm().kind().wireName()
              + "): "
              + a.alarm().message();
      case ClientEvent.DeviceChanged d -> time(d.notice().noticedAt()) + "  * " + d.notice().text();
      case ClientEvent.GroupChanged g ->
          time(Instant.now()) + "  * group " + g.group().name() + ": " + g.summary();
      case ClientEvent.GroupChangeRefused r -> "!!! group " + r.group() + ": " + r.reason();
      case ClientEvent.GroupOutOfStep o -> "!!! group " + o.group() + ": " + o.detail();
      case ClientEvent.GroupGap g -> "!!! group " + g.group() + ": " + g.detail();
      case ClientEvent.MessageChanged c -> changed(c);
      case ClientEvent.TimerChanged t ->
          time(Instant.now())
              + "  * "
              + t.by()
              + (t.seconds() == 0
                  ? " turned disappearing messages off"
                  : " set messages to disappear after "
                      + ConversationCommands.describe(java.time.Duration.ofSeconds(t.seconds())))
              + " in the conversation with "
              + t.conversation();
      case ClientEvent.Typing t ->
          "* "
              + t.sender()
              + "/"
              + t.device()
              + (t.started() ? " is typing" : " stopped typing")
              + group(t.conversation(), " in ");
    };
  }

  private static String changed(ClientEvent.MessageChanged c) {
    HistoryEntry e = c.entry();
    String id = e.shortId().map(i -> "#" + i).orElse("a message");
    String what =
        switch (c.change()) {
          case EDITED -> "edited " + id + ": " + e.text();
          case UNSENT -> "unsent " + id;
          case REACTED ->
              "reacted "
                  + e.reactions().stream()
                      .filter(r -> r.sender().equals(c.by()))
                      .map(HistoryEntry.Reaction::reaction)
                      .findFirst()
                      .orElse("")
                  + " to "
                  + id
                  + " \""
                  + abbreviate(e.text())
                  + "\"";
          case REACTION_REMOVED -> "took back their reaction to " + id;
          case READ ->
              "read "
                  + id
                  + " \""
                  + abbreviate(e.text())
                  + "\" "
                  + e.delivery().map(HistoryEntry.Delivery::describe).orElse("");
        };
    return time(Instant.now()) + "  * " + c.by() + group(e.peer(), " in ") + " " + what;
  }

  /** This profile's device id, or 0 if it has none yet. */
  static int deviceOf(org.parley.client.ParleyClient client) {
    return client.identity().map(d -> d.deviceId().value()).orElse(0);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 39) + "…";
  }
}
