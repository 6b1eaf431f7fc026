package org.parley.content.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.parley.content.ContentFormatException;

/**
 * The limits every Parley client applies to what others send in a conversation
 * (docs/spec/content.md, section 2.1). Senders refuse to break them; receivers ignore, with the
 * reason recorded, what breaks them. Times are the senders' own clocks as their envelopes carry
 * them, so a sender bends a window only for its own messages.
 */
public final class ChatRules {
  /** How long after sending a text may be edited (iMessage's window). */
  public static final Duration EDIT_WINDOW = Duration.ofMinutes(15);

  /** How many times a text may be edited (iMessage's count). */
  public static final int MAX_EDITS = 5;

  /** How long after sending a text may be unsent for everyone. */
  public static final Duration UNSEND_WINDOW = Duration.ofHours(24);

  /** The longest disappearing-message timer. */
  public static final Duration MAX_TIMER = Duration.ofDays(366);

  /** A reaction is short: one emoji, or a few characters at most. */
  public static final int MAX_REACTION_OCTETS = 64;

  private ChatRules() {}

  /** Why an edit sent at {@code editSent} of a text sent at {@code sent} is refused, if it is. */
  public static Optional<String> editRefusal(Instant sent, Instant editSent, int editsSoFar) {
    if (editsSoFar >= MAX_EDITS) {
      return Optional.of("a text may be edited " + MAX_EDITS + " times");
    }
    if (Duration.between(sent, editSent).compareTo(EDIT_WINDOW) > 0) {
      return Optional.of(
          "a text may be edited for " + EDIT_WINDOW.toMinutes() + " minutes after it was sent");
    }
    return Optional.empty();
  }

  /** Why unsending at {@code unsent} a text sent at {@code sent} is refused, if it is. */
  public static Optional<String> unsendRefusal(Instant sent, Instant unsent) {
    return Duration.between(sent, unsent).compareTo(UNSEND_WINDOW) > 0
        ? Optional.of(
            "a text may be unsent for " + UNSEND_WINDOW.toHours() + " hours after it was sent")
        : Optional.empty();
  }

  /** Refuses an empty, long or multi-line reaction. */
  public static void checkReaction(String reaction) throws ContentFormatException {
    int octets = reaction.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (octets == 0 || octets > MAX_REACTION_OCTETS || reaction.chars().anyMatch(c -> c < 0x20)) {
      throw new ContentFormatException(
          "a reaction must be 1 to " + MAX_REACTION_OCTETS + " octets on one line");
    }
  }

  /** Refuses a timer outside 0 (off) to {@link #MAX_TIMER}. */
  public static Duration checkTimer(Duration timer) {
    if (timer.isNegative() || timer.compareTo(MAX_TIMER) > 0) {
      throw new IllegalArgumentException(
          "a disappearing-message timer is 0 (off) to " + MAX_TIMER.toDays() + " days");
    }
    return timer;
  }
}
