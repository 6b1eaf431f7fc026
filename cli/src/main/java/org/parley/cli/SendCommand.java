package org.parley.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley send}: one text to a handle, encrypted for each of its devices. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Sends a text, end-to-end encrypted for each of the recipient's devices (and copied to your"
          + " other devices), and prints its delivery status.",
      "With --wait, keeps receiving until every device confirmed delivery or the time is up."
    },
    footer = {
      "",
      "Examples:",
      "  parley send bob@localhost Hello Bob",
      "  parley send bob 'See you at 5?' --wait 10"
    })
final class SendCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(index = "0", paramLabel = "HANDLE", description = "The recipient: name@domain, or name on your server.")
  String handle;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT", description = "The message; several words are joined with spaces.")
  List<String> words;

  @Option(names = "--wait", paramLabel = "SECONDS", description = "Wait up to this long for delivery receipts (default: 0).")
  int waitSeconds;

  @Override
  public void run() {
    if (waitSeconds < 0) {
      throw new Failures.UsageException("--wait takes a number of seconds, 0 or more");
    }
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      SendResult sent = client.send(handle, String.join(" ", words));
      HistoryEntry entry = find(client, sent);
      if (waitSeconds > 0) {
        Instant until = Instant.now().plusSeconds(waitSeconds);
        while (!fullyDelivered(entry) && Instant.now().isBefore(until)) {
          for (ClientEvent event : client.receive()) {
            if (!(event instanceof ClientEvent.DeliveryConfirmed)) {
              out.note(Show.plain(event, Show.deviceOf(client)));
            }
          }
          entry = find(client, sent);
          if (!fullyDelivered(entry)) {
            sleep(Duration.ofMillis(500));
          }
        }
      }
      String status =
          entry == null
              ? "sent"
              : entry.delivery().map(HistoryEntry.Delivery::describe).orElse("sent");
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("messageId", sent.messageId());
      json.put("to", sent.peer());
      json.put("recipientDevices", sent.recipientDevices());
      json.put("ownDevices", sent.ownDevices());
      json.put("deliveredDevices", entry == null ? 0 : entry.delivery().map(HistoryEntry.Delivery::delivered).orElse(0));
      json.put("status", status);
      json.put("sentAt", sent.sentAt().toEpochMilli());
      out.result(
          "Sent to "
              + sent.peer()
              + " ("
              + plural(sent.recipientDevices(), "device")
              + (sent.ownDevices() > 0 ? ", and " + plural(sent.ownDevices(), "other device") + " of yours" : "")
              + "): "
              + status
              + ".",
          json);
    }
  }

  private static HistoryEntry find(ParleyClient client, SendResult sent) {
    return client.history(sent.peer(), 200).stream()
        .filter(e -> e.messageId().filter(sent.messageId()::equals).isPresent())
        .findFirst()
        .orElse(null);
  }

  private static boolean fullyDelivered(HistoryEntry entry) {
    return entry == null
        || entry
            .delivery()
            .map(d -> d.recipientDevices().map(n -> d.delivered() >= n).orElse(true))
            .orElse(true);
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.parley.client.ClientException("interrupted", e);
    }
  }
}
