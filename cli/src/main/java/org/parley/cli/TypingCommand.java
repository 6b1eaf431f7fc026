package org.parley.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley typing}: a typing indicator, for the devices connected now only. */
@Command(
    name = "typing",
    mixinStandardHelpOptions = true,
    description = {
      "Tells a person (or with --group, a group) that you are typing, or with --stop that you"
          + " stopped. Only their devices connected now (parley listen) see it; the server pushes"
          + " it and stores nothing of it."
    },
    footer = {
      "",
      "Examples:",
      "  parley typing bob",
      "  parley typing --stop bob",
      "  parley typing --group hikers"
    })
final class TypingCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(
      index = "0",
      paramLabel = "CONVERSATION",
      description = "A handle, or with --group the group's id, id prefix or name.")
  String conversation;

  @Option(names = "--group", description = "CONVERSATION is a group.")
  boolean group;

  @Option(names = "--stop", description = "You stopped typing.")
  boolean stop;

  @Override
  public void run() {
    ConversationCommands.run(
        parley,
        stop ? "Told them you stopped typing" : "Told them you are typing",
        c -> c.typing(conversation, group, !stop));
  }
}
