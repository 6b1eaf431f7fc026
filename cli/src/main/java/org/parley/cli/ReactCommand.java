package org.parley.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley react}: a reaction to a message, or taking it back. */
@Command(
    name = "react",
    mixinStandardHelpOptions = true,
    description = {
      "Reacts to a message (one emoji, typically); it replaces your earlier reaction to it.",
      "With --remove, takes your reaction back."
    },
    footer = {"", "Examples:", "  parley react 1a2b3c4d 👍", "  parley react --remove 1a2b3c4d"})
final class ReactCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(index = "0", paramLabel = "MESSAGE", description = ConversationCommands.MESSAGE_HELP)
  String message;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "REACTION",
      description = "The reaction, up to 64 bytes on one line.")
  String reaction;

  @Option(names = "--remove", description = "Take your reaction back.")
  boolean remove;

  @Override
  public void run() {
    if (remove == (reaction != null)) {
      throw new Failures.UsageException("give a REACTION, or --remove to take yours back");
    }
    if (remove) {
      ConversationCommands.run(parley, "Took back your reaction", c -> c.removeReaction(message));
    } else {
      ConversationCommands.run(parley, "Reacted", c -> c.react(message, reaction));
    }
  }
}
