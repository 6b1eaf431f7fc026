package org.parley.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley unsend}: one of your messages taken back for everyone. */
@Command(
    name = "unsend",
    mixinStandardHelpOptions = true,
    description =
        "Takes one of your messages back for everyone, within 24 hours of sending it: every"
            + " device deletes its text and shows that it was unsent.",
    footer = {"", "Examples:", "  parley unsend 1a2b3c4d"})
final class UnsendCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(index = "0", paramLabel = "MESSAGE", description = ConversationCommands.MESSAGE_HELP)
  String message;

  @Override
  public void run() {
    ConversationCommands.run(parley, "Unsent", c -> c.unsend(message));
  }
}
