package org.parley.cli;

import java.util.List;
import org.parley.client.ClientEvent;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code parley receive}: fetches what is queued, once, and prints it. */
@Command(
    name = "receive",
    mixinStandardHelpOptions = true,
    description = {
      "Fetches, decrypts and stores everything queued for this device, sends delivery receipts,"
          + " and prints each message. Exits when the queue is empty. Then checks this"
          + " account's published device list (key transparency); an alarm exits with 3.",
      "To stay connected and print messages as they arrive, use parley listen."
    },
    footer = {"", "Examples:", "  parley receive", "  parley --json receive"})
final class ReceiveCommand implements Runnable {
  @ParentCommand Parley parley;

  @Override
  public void run() {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      List<ClientEvent> events = client.receive();
      int thisDevice = Show.deviceOf(client);
      for (ClientEvent event : events) {
        out.result(Show.plain(event, thisDevice), Show.json(event));
      }
      if (events.isEmpty()) {
        out.note("No new messages.");
      }
      // this device's key-transparency duties on every start: its own account's device list
      java.util.List<org.parley.client.kt.KtAlarm> alarms;
      try {
        alarms = client.checkKeyTransparency();
      } catch (org.parley.client.ClientException e) {
        out.note("The key-transparency check did not run: " + e.getMessage());
        return;
      }
      for (var alarm : alarms) {
        var event = new ClientEvent.KeyTransparencyAlarm(alarm);
        out.result(Show.plain(event, thisDevice), Show.json(event));
      }
      // a refused envelope (a forged sender, a relabelled handle) is an alarm too
      long refused = events.stream().filter(e -> e instanceof ClientEvent.KeyTransparencyAlarm)
          .count();
      if (!alarms.isEmpty() || refused > 0) {
        throw new Failures.AlarmException((alarms.size() + refused)
            + " key-transparency alarm(s); see above");
      }
    }
  }
}
