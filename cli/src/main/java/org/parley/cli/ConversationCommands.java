package org.parley.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.cli.json.Changed;
import org.parley.client.ChatResult;
import org.parley.client.ParleyClient;

/**
 * What a person does in a conversation besides writing (docs/spec/content.md, section 2.1): reply,
 * react, edit, unsend, the disappearing-message timer and read receipts. A message is named by the
 * first digits of its id, as {@code parley history} shows them; its conversation (one-to-one or a
 * group's) is the message's own.
 */
final class ConversationCommands {
  private ConversationCommands() {}

  static final String MESSAGE_HELP =
      "The message: the first 6 or more hex digits of its id, as parley history shows them"
          + " (#1a2b3c4d).";

  static void run(
      Parley parley, String done, java.util.function.Function<ParleyClient, ChatResult> action) {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      ChatResult r = action.apply(client);
      String plain =
          r.pending()
              .map(why -> done + "; not sent yet, waiting in the outbox (" + why + ")")
              .orElse(
                  done
                      + " ("
                      + (r.messageId().isEmpty() ? "" : "#" + r.messageId().substring(0, 8) + ", ")
                      + "sent to "
                      + r.devices()
                      + (r.devices() == 1 ? " device" : " devices")
                      + ")");
      out.result(plain, Changed.of(r));
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})([smhdw])");

  /** "30s", "5m", "1h", "2d", "1w", "off" or "0". */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("off") || t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new Failures.UsageException(
          "a duration is a number with s, m, h, d or w (30s, 5m, 1h, 1d, 1w), or off; got " + text);
    }
    long n = Long.parseLong(m.group(1));
    Duration d =
        switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofDays(7 * n);
        };
    return d; // the client refuses one over its longest
  }

  /** "1h", "30s", "2d", or "off". */
  static String describe(Duration d) {
    long s = d.toSeconds();
    if (s == 0) {
      return "off";
    }
    if (s % 604800 == 0) {
      return s / 604800 + "w";
    }
    if (s % 86400 == 0) {
      return s / 86400 + "d";
    }
    if (s % 3600 == 0) {
      return s / 3600 + "h";
    }
    if (s % 60 == 0) {
      return s / 60 + "m";
    }
    return s + "s";
  }
}
