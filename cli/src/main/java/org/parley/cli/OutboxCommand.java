package org.parley.cli;

import java.util.List;
import org.parley.cli.json.Entry;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley outbox}: the texts stored but not yet taken by the server. */
@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the texts this device stored but the server has not taken yet (it was unreachable,"
          + " failing or asked to wait), oldest first, with why. No network unless --send.",
      "The next send, receive or listen that reaches the server sends them by itself; --send"
          + " tries now. Exit code 4 if texts still wait after --send."
    },
    footer = {"", "Examples:", "  parley outbox", "  parley outbox --send"})
final class OutboxCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(names = "--send", description = "Send what waits now, then show what still waits.")
  boolean send;

  @Override
  public void run() {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      if (send) {
        for (SendResult r : client.flushOutbox()) {
          if (r.sent()) {
            out.note("Sent the text to " + r.peer() + " of " + Show.time(r.sentAt()) + ".");
          }
        }
      }
      List<HistoryEntry> waiting = client.outbox();
      int thisDevice = Show.deviceOf(client);
      for (HistoryEntry e : waiting) {
        out.result(Show.plain(e, thisDevice), Entry.of(e));
      }
      if (waiting.isEmpty()) {
        out.note("The outbox is empty: the server took every text.");
      } else if (send) {
        throw new Failures.QueuedException(
            waiting.size()
                + (waiting.size() == 1 ? " text still" + " waits" : " texts still wait")
                + " in the outbox; try again when the server is"
                + " reachable");
      }
    }
  }
}
