package org.parley.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.parley.cli.json.Link;
import org.parley.client.DeviceIdentity;
import org.parley.client.LinkOffer;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code parley link}: adds this profile to an existing account, once one of its devices approves.
 */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = {
      "Adds this profile as a new device of an existing account.",
      "Prints a code and a link URI; approve it on a device of the account with"
          + " 'parley devices approve'. Once a device approves, shows which account it is (the"
          + " handle and the approving device's key fingerprint, which 'parley whoami' prints on"
          + " that device) and asks before this profile joins it; declining leaves that account"
          + " without this device. Run it again to keep waiting for a request already made."
    },
    footer = {
      "",
      "Examples:",
      "  parley --profile ~/.parley/laptop link --server http://127.0.0.1:8080 --device-name laptop",
      "  parley --profile ~/.parley/laptop link --server http://127.0.0.1:8080 --account bob@example.org",
      "  (then, on the existing device:)  parley devices approve 'parley://link/7KQ2-M9XD-4TNB-0WHE#...'"
    })
final class LinkCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(
      names = "--server",
      paramLabel = "URL",
      converter = ServerUrl.class,
      description =
          "The account's server (not needed to keep waiting); with #kt=HASH, as parley whoami prints it on a device of the account, this profile trusts no other key-transparency log.")
  java.net.URI server;

  @Option(
      names = "--device-name",
      paramLabel = "NAME",
      description = "This device's name, shown to your other devices (default: cli).")
  String deviceName = "cli";

  @Option(
      names = "--account",
      paramLabel = "HANDLE",
      description =
          "The account this device is to join (a bare name takes the server's domain): joins it without asking, and declines if another account approves.")
  String account;

  @Option(names = "--yes", description = "Join whichever account approves, without asking.")
  boolean yes;

  @Override
  public void run() {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      PendingLink pending = client.pendingLink().orElse(null);
      if (pending == null || pending.expiresAt().isBefore(java.time.Instant.now())) {
        if (server == null) {
          throw new Failures.UsageException("--server URL is required to start linking");
        }
        pending = client.startLink(parley.allowed(server), deviceName);
      }
      out.result(
          "Link code: "
              + pending.code()
              + "\nLink URI:  "
              + pending.uri()
              + "\nOn a device of the account run:  parley devices approve '"
              + pending.uri()
              + "'\nWaiting for approval (until "
              + Show.time(pending.expiresAt())
              + ")...",
          Link.Pending.of(pending));
      DeviceIdentity me = client.awaitLink(offer -> consent(out, offer));
      out.result(
          "Linked: this profile is device " + me.deviceId() + " of " + me.handle() + ".",
          Link.Linked.of(me));
    }
  }

  /** Shows the account that approved and decides, from --account, --yes or the person's answer. */
  private Optional<String> consent(Output out, LinkOffer offer) {
    out.result(
        "Approved by device "
            + offer.approver()
            + " of "
            + offer.handle()
            + " (account "
            + offer.accountId()
            + ")."
            + "\nThe approving device's key fingerprint: "
            + offer.approverFingerprint()
            + "\n(parley whoami on that device prints the same fingerprint.)",
        Link.Approved.of(offer));
    if (account != null) {
      String domain = offer.handle().value().substring(offer.handle().value().indexOf('@') + 1);
      String expected =
          (account.contains("@") ? account : account + "@" + domain)
              .toLowerCase(java.util.Locale.ROOT);
      return expected.equals(offer.handle().value())
          ? Optional.empty()
          : Optional.of("not joining " + offer.handle() + ": --account names " + expected);
    }
    if (yes) {
      return Optional.empty();
    }
    parley.err().print("Join " + offer.handle() + " as a new device? [y/N] ");
    parley.err().flush();
    String answer;
    try {
      answer =
          new BufferedReader(new InputStreamReader(parley.stdin(), StandardCharsets.UTF_8))
              .readLine();
    } catch (IOException e) {
      answer = null;
    }
    boolean join =
        answer != null
            && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    return join
        ? Optional.empty()
        : Optional.of(
            "not joining "
                + offer.handle()
                + (answer == null
                    ? ": no answer (use --account HANDLE or --yes where nobody can answer)"
                    : ": you answered no"));
  }
}
