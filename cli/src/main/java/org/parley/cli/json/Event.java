package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import org.parley.client.ClientEvent;
import org.parley.client.DeviceNotice;

/**
 * What {@code parley receive}, {@code listen} and {@code send} report besides their result: one
 * line per {@link ClientEvent}, whose {@code event} field names its kind.
 */
public sealed interface Event extends JsonLine {
  /** The kind: {@code message}, {@code delivered}, {@code held}, {@code alarm}, ... */
  String event();

  /** {@code message}, {@code sent_copy} or {@code error}: the history entry stored for it. */
  record Message(String event, @JsonUnwrapped Entry entry) implements Event {}

  /** {@code delivered}: {@code device} of the peer confirmed; the entry has the new count. */
  record Delivered(String event, int device, @JsonUnwrapped Entry entry) implements Event {}

  /** {@code held} or {@code refused}: an envelope not shown, and why. */
  record Envelope(String event, String envelope, String reason) implements Event {}

  /** {@code alarm}: a key-transparency alarm was raised. */
  record AlarmRaised(String event, @JsonUnwrapped Alarm alarm) implements Event {}

  /** {@code device_added} or {@code device_removed}, as the key-transparency log proved it. */
  record DeviceChanged(
      String event,
      String peer,
      String account,
      boolean ownAccount,
      int device,
      @JsonInclude(Include.NON_NULL) String name,
      String fingerprint,
      long version,
      String text,
      long at)
      implements Event {}

  /** {@code connected} or {@code disconnected} ({@code parley listen}). */
  record Connection(String event, String detail) implements Event {}

  /** {@code group_changed}: a group this device holds changed, and how. */
  record GroupChanged(String event, Group group, String summary) implements Event {}

  /** {@code group_out_of_step}: a group message named another state than this device holds. */
  record GroupOutOfStep(
      String event, String group, String sender, long senderVersion, long ownVersion, String detail)
      implements Event {}

  /**
   * {@code group_gap}: a group message's counter was not the one expected of its sender's device
   * ({@code got} above {@code expected}: messages did not arrive; below: it came late).
   */
  record GroupGap(
      String event, String group, String sender, int device, long expected, long got, String detail)
      implements Event {}

  /** {@code group_change_refused}: a change not applied, with why. */
  record GroupChangeRefused(String event, String group, String reason) implements Event {}

  /**
   * {@code edited}, {@code unsent}, {@code reaction}, {@code reaction_removed} or {@code read}:
   * {@code by} changed a message (or read one of ours); the entry is the message as it is now.
   */
  record Changed(String event, String by, @JsonUnwrapped Entry entry) implements Event {}

  /** {@code timer_changed}: a one-to-one conversation's timer, in seconds (0: off). */
  record TimerChanged(String event, String conversation, long seconds, String by)
      implements Event {}

  /** {@code typing} or {@code typing_stopped}: nothing of it is stored. */
  record Typing(String event, String conversation, String sender, int device) implements Event {}

  static Event of(ClientEvent event) {
    return switch (event) {
      case ClientEvent.MessageReceived r -> new Message("message", Entry.of(r.entry()));
      case ClientEvent.SentCopyReceived s -> new Message("sent_copy", Entry.of(s.entry()));
      case ClientEvent.EnvelopeFailed f -> new Message("error", Entry.of(f.entry()));
      case ClientEvent.DeliveryConfirmed d ->
          new Delivered("delivered", d.recipientDevice(), Entry.of(d.entry()));
      case ClientEvent.EnvelopeHeld h -> new Envelope("held", h.envelopeId(), h.reason());
      case ClientEvent.EnvelopeRefused r -> new Envelope("refused", r.envelopeId(), r.reason());
      case ClientEvent.KeyTransparencyAlarm a -> new AlarmRaised("alarm", Alarm.of(a.alarm()));
      case ClientEvent.DeviceChanged c -> deviceChanged(c.notice());
      case ClientEvent.ConnectionChanged c ->
          new Connection(c.connected() ? "connected" : "disconnected", c.detail());
      case ClientEvent.GroupChanged g ->
          new GroupChanged("group_changed", Group.of(g.group()), g.summary());
      case ClientEvent.GroupOutOfStep o ->
          new GroupOutOfStep(
              "group_out_of_step",
              o.group(),
              o.sender(),
              o.senderVersion(),
              o.ownVersion(),
              o.detail());
      case ClientEvent.GroupChangeRefused r ->
          new GroupChangeRefused("group_change_refused", r.group(), r.reason());
      case ClientEvent.GroupGap g ->
          new GroupGap(
              "group_gap", g.group(), g.sender(), g.device(), g.expected(), g.got(), g.detail());
      case ClientEvent.MessageChanged c ->
          new Changed(
              switch (c.change()) {
                case EDITED -> "edited";
                case UNSENT -> "unsent";
                case REACTED -> "reaction";
                case REACTION_REMOVED -> "reaction_removed";
                case READ -> "read";
              },
              c.by(),
              Entry.of(c.entry()));
      case ClientEvent.TimerChanged t ->
          new TimerChanged("timer_changed", t.conversation(), t.seconds(), t.by());
      case ClientEvent.Typing t ->
          new Typing(
              t.started() ? "typing" : "typing_stopped", t.conversation(), t.sender(), t.device());
    };
  }

  private static DeviceChanged deviceChanged(DeviceNotice n) {
    return new DeviceChanged(
        n.change() == DeviceNotice.Change.ADDED ? "device_added" : "device_removed",
        n.handle(),
        n.account().value(),
        n.ownAccount(),
        n.device().value(),
        n.name().orElse(null),
        n.fingerprint(),
        n.versionSeen(),
        n.text(),
        n.noticedAt().toEpochMilli());
  }
}
