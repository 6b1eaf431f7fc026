package org.parley.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The draft's example files, copied into test resources (see mimi-examples/README.md). */
final class Examples {
  /** Every MimiContent example in the draft repository's examples/ folder. */
  static final List<String> CONTENT =
      List.of(
          "original",
          "reply",
          "reaction",
          "mention",
          "mention-html",
          "edit",
          "delete",
          "unlike",
          "expiring",
          "attachment",
          "conferencing",
          "multipart-1",
          "multipart-2",
          "multipart-3");

  static final String ROOM = "mimi://example.com/r/engineering_team";

  private static final Pattern STATED_ID =
      Pattern.compile("# message ID = h'([0-9a-f]+)\\s*#\\s*([0-9a-f]+)'");

  private Examples() {}

  static byte[] bytes(String file) {
    try (InputStream in = Examples.class.getResourceAsStream("/mimi-examples/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] cbor(String name) {
    return bytes(name + ".cbor");
  }

  /** The message id the example's .edn states in its header comment, if it states one. */
  static Optional<MessageId> statedId(String name) {
    Matcher m = STATED_ID.matcher(new String(bytes(name + ".edn"), StandardCharsets.UTF_8));
    return m.find() ? Optional.of(MessageId.ofHex(m.group(1) + m.group(2))) : Optional.empty();
  }
}
