package org.parley.cli;

import org.parley.cli.json.ReceiptSetting;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley receipts}: this device's read receipts on or off. */
@Command(
    name = "receipts",
    mixinStandardHelpOptions = true,
    description = {
      "Turns this device's read receipts on or off, or shows whether they are on. When on (the"
          + " default), the people whose messages you open with parley history see that you"
          + " read them. Delivery receipts are always sent."
    },
    footer = {"", "Examples:", "  parley receipts off", "  parley receipts"})
final class ReceiptsCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(arity = "0..1", paramLabel = "on|off", description = "on or off.")
  String setting;

  @Override
  public void run() {
    if (setting != null && !setting.equals("on") && !setting.equals("off")) {
      throw new Failures.UsageException("parley receipts takes on or off, got " + setting);
    }
    try (ParleyClient client = parley.openClient()) {
      if (setting != null) {
        client.setReadReceipts(setting.equals("on"));
      }
      boolean on = client.readReceipts();
      parley
          .output()
          .result(
              "Read receipts are " + (on ? "on" : "off") + " on this device.",
              new ReceiptSetting(on));
    }
  }
}
