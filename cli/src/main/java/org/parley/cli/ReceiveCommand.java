package org.parley.cli;

import java.util.List;
import org.parley.cli.json.Event;
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
          + " account's published device list (key transparency) and prints the devices added"
          + " or removed since; an alarm exits with 3, and a check that could not run fails.",
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
        out.result(Show.plain(event, thisDevice), Event.of(event));
      }
      if (events.isEmpty()) {
        out.note("No new messages.");
      }
      // this device's key-transparency duties on every start: its own account's device list.
      // A check that could not run is a failure, not a success; a log that fails its proofs or
      // denies what it proved before is an alarm.
      List<ClientEvent> checked;
      try {
        checked = client.monitorKeyTransparency();
      } catch (org.parley.client.ClientException e) {
        out.note("The key-transparency check did not run.");
        throw e;
      }
      for (ClientEvent event : checked) {
        out.result(Show.plain(event, thisDevice), Event.of(event));
      }
      // a refused envelope (a forged sender, a relabelled handle) is an alarm too
      long alarms =
          java.util.stream.Stream.concat(events.stream(), checked.stream())
              .filter(e -> e instanceof ClientEvent.KeyTransparencyAlarm)
              .count();
      if (alarms > 0) {
        throw new Failures.AlarmException(alarms + " key-transparency alarm(s); see above");
      }
    }
  }
}
