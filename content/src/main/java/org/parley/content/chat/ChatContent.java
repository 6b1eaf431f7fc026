package org.parley.content.chat;

import java.util.ArrayList;
import java.util.List;
import org.parley.content.Disposition;
import org.parley.content.Extensions;
import org.parley.content.MimiContent;
import org.parley.content.MimiUri;
import org.parley.content.NestedPart;
import org.parley.protocol.cbor.CborValue;

/**
 * The two conversation messages MIMI has no shape for, as Parley sends them: a NullPart body
 * ({@code unspecified}, since nothing is shown) with one Parley extension.
 */
public final class ChatContent {
  private ChatContent() {}

  /** Sets the conversation's disappearing-message timer ({@code 0} turns it off). */
  public static MimiContent timer(MimiUri sender, MimiUri room, long seconds) {
    ChatRules.checkTimer(java.time.Duration.ofSeconds(seconds));
    return with(sender, room, ChatMessage.TIMER_EXTENSION, new CborValue.UnsignedInt(seconds));
  }

  /** The sender started ({@code true}) or stopped typing. */
  public static MimiContent typing(MimiUri sender, MimiUri room, boolean started) {
    return with(
        sender, room, ChatMessage.TYPING_EXTENSION, started ? CborValue.TRUE : CborValue.FALSE);
  }

  private static MimiContent with(MimiUri sender, MimiUri room, String key, CborValue value) {
    MimiContent base = MimiContent.of(sender, room, NestedPart.none(Disposition.UNSPECIFIED));
    List<CborValue.Entry> entries = new ArrayList<>(base.extensions().entries());
    entries.add(new CborValue.Entry(CborValue.text(key), value));
    return base.withExtensions(new Extensions(entries));
  }
}
