package org.parley.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.parley.client.DeviceIdentity;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code parley link}: adds this profile to an existing account, once one of its devices approves. */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    description = {
      "Adds this profile as a new device of an existing account.",
      "Prints a code and a link URI; approve it on a device of the account with"
          + " 'parley devices approve'. Waits until it is approved, rejected or expires."
          + " Run it again to keep waiting for a request already made."
    },
    footer = {
      "",
      "Examples:",
      "  parley --profile ~/.parley/laptop link --server http://127.0.0.1:8080 --device-name laptop",
      "  (then, on the existing device:)  parley devices approve 'parley://link/7KQ2-M9XD-4TNB-0WHE#...'"
    })
final class LinkCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(names = "--server", paramLabel = "URL", converter = ServerUrl.class, description = "The account's server (not needed to keep waiting); with #kt=HASH, as parley whoami prints it on a device of the account, this profile trusts no other key-transparency log.")
  java.net.URI server;

  @Option(names = "--device-name", paramLabel = "NAME", description = "This device's name, shown to your other devices (default: cli).")
  String deviceName = "cli";

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
      Map<String, Object> waiting = new LinkedHashMap<>();
      waiting.put("state", "pending");
      waiting.put("code", pending.code().value());
      waiting.put("uri", pending.uri());
      waiting.put("fingerprint", pending.fingerprint());
      waiting.put("expiresAt", pending.expiresAt().toEpochMilli());
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
          waiting);
      DeviceIdentity me = client.awaitLink();
      Map<String, Object> done = WhoamiCommand.json(me);
      done.put("state", "approved");
      out.result(
          "Linked: this profile is device " + me.deviceId() + " of " + me.handle() + ".", done);
    }
  }
}
