package org.parley.cli;

import java.time.Duration;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley timer}: a one-to-one conversation's disappearing-message timer. */
@Command(
    name = "timer",
    mixinStandardHelpOptions = true,
    description = {
      "Sets the disappearing-message timer of your conversation with a handle, for both of you:"
          + " texts sent from then on are deleted from every device when it runs out. A group's"
          + " timer is set with parley group timer.",
      "DURATION is a number with s, m, h, d or w (30s, 5m, 1h, 1d, 1w), or off; at most 366d."
          + " Without DURATION, shows the timer."
    },
    footer = {
      "",
      "Examples:",
      "  parley timer bob 1h",
      "  parley timer bob off",
      "  parley timer bob"
    })
final class TimerCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(index = "0", paramLabel = "HANDLE", description = "The other party.")
  String handle;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "DURATION",
      description = "How long texts stay, or off.")
  String duration;

  @Override
  public void run() {
    if (duration == null) {
      try (ParleyClient client = parley.openClient()) {
        Duration timer = client.timer(handle);
        parley
            .output()
            .result(
                "Disappearing messages with "
                    + handle
                    + ": "
                    + ConversationCommands.describe(timer),
                new org.parley.cli.json.Timer(handle, timer.toSeconds()));
      }
      return;
    }
    Duration timer = ConversationCommands.parseDuration(duration);
    ConversationCommands.run(
        parley,
        "Disappearing messages "
            + (timer.isZero() ? "off" : "after " + ConversationCommands.describe(timer))
            + ";",
        c -> c.setTimer(handle, timer));
  }
}
