package org.parley.cli;

import java.util.List;
import org.parley.cli.json.Conversation;
import org.parley.cli.json.Entry;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley history}: a conversation as stored on this device. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the conversation with a handle as stored on this device (no network), oldest first,"
          + " with the delivery and read status of your messages, and marks it read: the sender"
          + " gets read receipts with your next send, receive or listen (unless turned off with"
          + " parley receipts off).",
      "Each message shows the first digits of its id (#1a2b3c4d), which reply, react, edit and"
          + " unsend take.",
      "Without a handle, lists the conversations."
    },
    footer = {
      "",
      "Examples:",
      "  parley history bob@localhost",
      "  parley history bob --limit 20",
      "  parley history"
    })
final class HistoryCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(
      arity = "0..1",
      paramLabel = "HANDLE",
      description = "The other party: name@domain, or name on your server.")
  String handle;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Show the last N entries (default: 50).")
  int limit = 50;

  @Override
  public void run() {
    if (limit < 1) {
      throw new Failures.UsageException("--limit takes a positive number");
    }
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      if (handle == null) {
        List<String> peers = client.conversations();
        for (String peer : peers) {
          out.result(peer, new Conversation(peer));
        }
        if (peers.isEmpty()) {
          out.note("No conversations yet.");
        }
        return;
      }
      List<HistoryEntry> entries = client.history(handle, limit);
      int thisDevice = Show.deviceOf(client);
      for (HistoryEntry e : entries) {
        out.result(Show.plain(e, thisDevice), Entry.of(e));
      }
      if (entries.isEmpty()) {
        out.note("No messages with " + handle + " yet.");
      }
      client.markRead(handle, false);
    }
  }
}
