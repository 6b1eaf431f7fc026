package org.parley.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley reply}: an answer to a message. */
@Command(
    name = "reply",
    mixinStandardHelpOptions = true,
    description = "Answers a message in its conversation (a person's or a group's).",
    footer = {"", "Examples:", "  parley reply 1a2b3c4d 'Yes, at 5'"})
final class ReplyCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(index = "0", paramLabel = "MESSAGE", description = ConversationCommands.MESSAGE_HELP)
  String message;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "TEXT",
      description = "The answer; several words are joined with spaces.")
  List<String> words;

  @Override
  public void run() {
    ConversationCommands.run(parley, "Replied", c -> c.reply(message, String.join(" ", words)));
  }
}
