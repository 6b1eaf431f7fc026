package org.parley.cli;

import org.parley.cli.json.Sealed;
import org.parley.client.ParleyClient;
import org.parley.client.SealedStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley sealed}: sealed sender on this device, and replacing its delivery credential. */
@Command(
    name = "sealed",
    mixinStandardHelpOptions = true,
    description = {
      "Shows whether this device sends and receives sealed messages, whose envelope does not name"
          + " the sender to the server: the server's pinned trust root, whether the server has"
          + " this device's delivery credential, and how many devices of other people handed"
          + " theirs over.",
      "A text to someone goes sealed once every device of theirs has written to this one; until"
          + " then it goes named, as before. --rotate replaces this device's credential: whoever"
          + " held the old one sends named again until this device writes to them."
    },
    footer = {
      "",
      "Examples:",
      "  parley sealed",
      "  parley sealed --rotate",
      "  parley --json sealed"
    })
final class SealedCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(
      names = "--rotate",
      description = "Replace this device's delivery credential; the old one stops working at once.")
  boolean rotate;

  @Override
  public void run() {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      if (rotate) {
        client.rotateDeliveryCredential();
      }
      SealedStatus s = client.sealedStatus();
      out.result(text(s, rotate), Sealed.of(s, rotate));
    }
  }

  private static String text(SealedStatus s, boolean rotated) {
    StringBuilder b = new StringBuilder();
    if (rotated) {
      b.append("Replaced this device's delivery credential.\n");
    }
    b.append(
        s.trustRoot()
            .map(r -> "trust root " + r + " (pinned)")
            .orElse("no trust root pinned yet: the server could not be reached"));
    b.append(
        s.credentialRegistered()
            ? "\nthe server has this device's delivery credential; the people it writes to get it"
            : "\nthe server does not have this device's delivery credential yet");
    b.append(
        "\n"
            + s.contactDevices()
            + (s.contactDevices() == 1 ? " device" : " devices")
            + " of other people can be sent sealed messages");
    s.certificateExpires()
        .ifPresent(t -> b.append("\nsender certificate valid until ").append(Show.time(t)));
    return b.toString();
  }
}
