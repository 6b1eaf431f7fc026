package org.parley.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley edit}: a new text for one of your messages. */
@Command(
    name = "edit",
    mixinStandardHelpOptions = true,
    description =
        "Replaces the text of one of your messages for everyone: up to 5 times, within 15"
            + " minutes of sending it. The others see the latest text, marked edited.",
    footer = {"", "Examples:", "  parley edit 1a2b3c4d 'See you at 6, not 5'"})
final class EditCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(index = "0", paramLabel = "MESSAGE", description = ConversationCommands.MESSAGE_HELP)
  String message;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "TEXT",
      description = "The new text; several words are joined with spaces.")
  List<String> words;

  @Override
  public void run() {
    ConversationCommands.run(parley, "Edited", c -> c.edit(message, String.join(" ", words)));
  }
}
