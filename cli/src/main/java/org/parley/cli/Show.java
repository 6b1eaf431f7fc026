package org.parley.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;

/** How history entries and receive events look, in plain text and as JSON objects. */
final class Show {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private Show() {}

  static String time(Instant instant) {
    return TIME.format(instant);
  }

  /**
   * "2026-11-28 05:01:02  bob@localhost/1: hi" or "... -> bob@localhost: hi  [delivered ...]";
   * {@code thisDevice} is the device showing it (texts another of our devices sent say so).
   */
  static String plain(HistoryEntry e, int thisDevice) {
    String when = time(e.sentAt());
    String delivery = e.delivery().map(d -> "  [" + d.describe() + "]").orElse("");
    return switch (e.kind()) {
      case ERROR -> when + "  ! " + e.peer() + "/" + e.senderDevice() + ": " + e.text();
      case DEVICE -> when + "  * " + e.text();
      case TEXT ->
          e.direction() == HistoryEntry.Direction.IN
              ? when + "  " + e.senderHandle() + "/" + e.senderDevice() + ": " + e.text()
              : when
                  + "  -> "
                  + e.peer()
                  + (e.senderDevice() != thisDevice ? " (from your device " + e.senderDevice() + ")" : "")
                  + ": "
                  + e.text()
                  + delivery;
    };
  }

  static Map<String, Object> json(HistoryEntry e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("peer", e.peer());
    m.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("direction", e.direction().name().toLowerCase(java.util.Locale.ROOT));
    e.messageId().ifPresent(id -> m.put("messageId", id));
    m.put("sender", e.senderHandle());
    m.put("senderDevice", e.senderDevice());
    m.put("text", e.text());
    m.put("sentAt", e.sentAt().toEpochMilli());
    m.put("storedAt", e.storedAt().toEpochMilli());
    e.delivery()
        .ifPresent(
            d -> {
              m.put("deliveredDevices", d.delivered());
              d.recipientDevices().ifPresent(n -> m.put("recipientDevices", n));
              m.put("status", d.describe());
              m.put("sendState", d.state().name().toLowerCase(java.util.Locale.ROOT));
              d.problem().ifPresent(p -> m.put("problem", p));
            });
    return m;
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
      case ClientEvent.ConnectionChanged c -> (c.connected() ? "* " : "* disconnected: ") + c.detail();
      case ClientEvent.EnvelopeHeld h -> "* a message waits until the key-transparency log proves"
          + " its sender (" + h.reason() + "); it is tried again for a few epochs";
      case ClientEvent.EnvelopeRefused r -> "* " + r.reason();
      case ClientEvent.KeyTransparencyAlarm a -> "!!! KEY-TRANSPARENCY ALARM (" + a.alarm().kind()
          + "): " + a.alarm().message();
      case ClientEvent.DeviceChanged d -> time(d.notice().noticedAt()) + "  * " + d.notice().text();
    };
  }

  static Map<String, Object> json(ClientEvent event) {
    Map<String, Object> m = new LinkedHashMap<>();
    switch (event) {
      case ClientEvent.MessageReceived r -> {
        m.put("event", "message");
        m.putAll(json(r.entry()));
      }
      case ClientEvent.SentCopyReceived s -> {
        m.put("event", "sent_copy");
        m.putAll(json(s.entry()));
      }
      case ClientEvent.DeliveryConfirmed d -> {
        m.put("event", "delivered");
        m.put("device", d.recipientDevice());
        m.putAll(json(d.entry()));
      }
      case ClientEvent.EnvelopeFailed f -> {
        m.put("event", "error");
        m.putAll(json(f.entry()));
      }
      case ClientEvent.ConnectionChanged c -> {
        m.put("event", c.connected() ? "connected" : "disconnected");
        m.put("detail", c.detail());
      }
      case ClientEvent.EnvelopeHeld h -> {
        m.put("event", "held");
        m.put("envelope", h.envelopeId());
        m.put("reason", h.reason());
      }
      case ClientEvent.EnvelopeRefused r -> {
        m.put("event", "refused");
        m.put("envelope", r.envelopeId());
        m.put("reason", r.reason());
      }
      case ClientEvent.KeyTransparencyAlarm a -> {
        m.put("event", "alarm");
        m.putAll(json(a.alarm()));
      }
      case ClientEvent.DeviceChanged d -> {
        var n = d.notice();
        m.put("event", n.change() == org.parley.client.DeviceNotice.Change.ADDED
            ? "device_added" : "device_removed");
        m.put("peer", n.handle());
        m.put("account", n.account().value());
        m.put("ownAccount", n.ownAccount());
        m.put("device", n.device().value());
        n.name().ifPresent(name -> m.put("name", name));
        m.put("fingerprint", n.fingerprint());
        m.put("version", n.versionSeen());
        m.put("text", n.text());
        m.put("at", n.noticedAt().toEpochMilli());
      }
    }
    return m;
  }

  /** An alarm as JSON fields: kind, subject, device, message, state and how it was resolved. */
  static Map<String, Object> json(org.parley.client.kt.KtAlarm a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("kind", a.kind());
    m.put("subject", a.subject());
    a.device().ifPresent(d -> m.put("device", d.value()));
    m.put("message", a.message());
    m.put("raisedAt", a.raisedAt());
    m.put("state", a.resolution().map(r -> r.status().name().toLowerCase(java.util.Locale.ROOT))
        .orElse("open"));
    a.resolution().ifPresent(r -> {
      m.put("resolvedAt", r.at());
      m.put("resolution", r.note());
    });
    return m;
  }

  /** This profile's device id, or 0 if it has none yet. */
  static int deviceOf(org.parley.client.ParleyClient client) {
    return client.identity().map(d -> d.deviceId().value()).orElse(0);
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 39) + "…";
  }
}
