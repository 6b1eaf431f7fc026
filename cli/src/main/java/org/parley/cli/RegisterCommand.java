package org.parley.cli;

import org.parley.cli.json.Identity;
import org.parley.client.DeviceIdentity;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley register}: creates an account with this profile as its first device. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = "Creates an account on a server, with this profile as its first device.",
    footer = {
      "",
      "Examples:",
      "  parley register --server http://127.0.0.1:8080 alice",
      "  parley --profile ~/.parley/bob register --server https://chat.example.org bob@chat.example.org \\",
      "      --device-name phone"
    })
final class RegisterCommand implements Runnable {
  @ParentCommand Parley parley;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      converter = ServerUrl.class,
      description =
          "The server, e.g. http://127.0.0.1:8080; with #kt=HASH (as parley server and parley whoami print it) this profile trusts no key-transparency log but the one named.")
  java.net.URI server;

  @Option(
      names = "--device-name",
      paramLabel = "NAME",
      description = "This device's name, shown to your other devices (default: cli).")
  String deviceName = "cli";

  @Parameters(
      paramLabel = "HANDLE",
      description = "name@domain, or just name for the server's domain.")
  String handle;

  @Override
  public void run() {
    try (ParleyClient client = parley.openClient()) {
      DeviceIdentity me = client.register(parley.allowed(server), handle, deviceName);
      parley
          .output()
          .result(
              "Registered "
                  + me.handle()
                  + " on "
                  + me.server()
                  + " as device "
                  + me.deviceId()
                  + " ("
                  + me.deviceName()
                  + ", key fingerprint "
                  + me.fingerprint()
                  + ").",
              Identity.of(me));
    }
  }
}
