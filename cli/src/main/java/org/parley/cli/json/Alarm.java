package org.parley.cli.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import org.parley.client.KtAlarm;

/**
 * A key-transparency alarm, in {@code parley verify}'s {@code alarms} and in the {@code alarm}
 * event: {@code state} is {@code open}, {@code accepted} or {@code superseded}; a resolved alarm
 * says when and how.
 */
public record Alarm(
    long id,
    String kind,
    String subject,
    @JsonInclude(Include.NON_NULL) Integer device,
    String message,
    long raisedAt,
    String state,
    @JsonInclude(Include.NON_NULL) Long resolvedAt,
    @JsonInclude(Include.NON_NULL) String resolution) {

  public static Alarm of(KtAlarm a) {
    KtAlarm.Resolution r = a.resolution().orElse(null);
    return new Alarm(
        a.id(),
        a.kind().wireName(),
        a.subject(),
        a.device().map(d -> d.value()).orElse(null),
        a.message(),
        a.raisedAt(),
        r == null ? "open" : Entry.lower(r.status()),
        r == null ? null : r.at(),
        r == null ? null : r.note());
  }
}
