package org.parley.cli;

import org.parley.cli.json.Identity;
import org.parley.cli.json.Linking;
import org.parley.client.DeviceIdentity;
import org.parley.client.ParleyClient;
import org.parley.client.PendingLink;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code parley whoami}: which account and device this profile is. Works offline. */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description = "Shows this profile's account, device and key fingerprint (no network).",
    footer = {
      "",
      "Examples:",
      "  parley whoami",
      "  parley --profile ~/.parley/laptop --json whoami"
    })
final class WhoamiCommand implements Runnable {
  @ParentCommand Parley parley;

  @Override
  public void run() {
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      var me = client.identity();
      if (me.isPresent()) {
        DeviceIdentity d = me.get();
        java.util.Optional<String> logHash = client.logHash();
        Identity json =
            Identity.of(d)
                .withAddress(
                    logHash
                        .map(h -> org.parley.client.ServerAddress.withLogHash(d.server(), h))
                        .orElse(null));
        out.result(
            d.handle()
                + " device "
                + d.deviceId()
                + " ("
                + d.deviceName()
                + ") on "
                + d.server()
                + "\naccount "
                + d.accountId()
                + ", key fingerprint "
                + d.fingerprint()
                + "\nprofile "
                + client.profileDir().toAbsolutePath()
                + logHash
                    .map(
                        h ->
                            "\naddress to give others (it names the server's"
                                + " key-transparency log): "
                                + org.parley.client.ServerAddress.withLogHash(d.server(), h))
                    .orElse(""),
            json);
        return;
      }
      PendingLink pending = client.pendingLink().orElse(null);
      if (pending != null) {
        out.result(
            "Not yet a device of an account: link request "
                + pending.code()
                + " is waiting for approval. Run parley link to keep waiting.",
            new Linking("linking", pending.code().value(), pending.uri()));
        return;
      }
      throw new org.parley.client.NotRegisteredException(
          "this profile ("
              + client.profileDir().toAbsolutePath()
              + ") has no account. Run parley register, or parley link to join an existing account");
    }
  }
}
