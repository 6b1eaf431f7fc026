package org.parley.cli;

import org.parley.cli.json.SafetyNumber;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley safety-number}: the number two people compare to check each other's keys. */
@Command(
    name = "safety-number",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the safety number between your account and another: 60 digits over both accounts'"
          + " device keys. Compare it in person (or on a call); if it differs, a key is not the"
          + " one the other person's devices hold.",
      "Adding, removing or replacing any device of either account changes it."
    },
    footer = {"", "Examples:", "  parley safety-number bob@localhost"})
final class SafetyNumberCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(
      paramLabel = "HANDLE",
      description = "The other account: name@domain, or name on your server.")
  String handle;

  @Override
  public void run() {
    try (ParleyClient client = parley.openClient()) {
      String digits = client.safetyNumber(handle);
      StringBuilder shown = new StringBuilder();
      for (int i = 0; i < digits.length(); i += 5) {
        shown.append(digits, i, Math.min(i + 5, digits.length()));
        shown.append(i % 20 == 15 ? "\n" : " ");
      }
      parley.output().result(shown.toString().strip(), new SafetyNumber(handle, digits));
    }
  }
}
