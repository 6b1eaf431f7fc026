package org.parley.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.parley.cli.json.Devices;
import org.parley.client.DeviceSummary;
import org.parley.client.LinkRequestInfo;
import org.parley.client.ParleyClient;
import org.parley.protocol.DeviceId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley devices}: the account's devices; approving, rejecting and removing them. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "Lists this account's devices (and approves, rejects or removes them).",
    subcommands = {
      DevicesCommand.ListDevices.class,
      DevicesCommand.Approve.class,
      DevicesCommand.Reject.class,
      DevicesCommand.Remove.class
    },
    footer = {
      "",
      "Examples:",
      "  parley devices list",
      "  parley devices approve 'parley://link/7KQ2-M9XD-4TNB-0WHE#Xk2f...'",
      "  parley devices reject 7KQ2-M9XD-4TNB-0WHE",
      "  parley devices remove 2"
    })
final class DevicesCommand implements Runnable {
  @ParentCommand Parley parley;

  @Override
  public void run() {
    ListDevices.list(parley);
  }

  /** {@code parley devices list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Lists this account's devices with their key fingerprints.",
      footer = {"", "Examples:", "  parley devices list", "  parley --json devices list"})
  static final class ListDevices implements Runnable {
    @ParentCommand DevicesCommand devices;

    @Override
    public void run() {
      list(devices.parley);
    }

    static void list(Parley parley) {
      Output out = parley.output();
      try (ParleyClient client = parley.openClient()) {
        List<DeviceSummary> all = client.devices();
        for (DeviceSummary d : all) {
          out.result(
              String.format(
                  "%3d  %-20s  added %s  key %s%s",
                  d.deviceId(),
                  d.name() == null ? "" : d.name(),
                  Show.time(d.createdAt()),
                  d.fingerprint(),
                  d.thisDevice() ? "  (this device)" : ""),
              Devices.Listed.of(d));
        }
      }
    }
  }

  /** {@code parley devices approve}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Approves a new device's link request: shows its name and key fingerprint, asks, and signs"
            + " the approval with this device's key.",
        "Given the link URI, refuses if the server's key for the new device does not match it."
      },
      footer = {
        "",
        "Examples:",
        "  parley devices approve 'parley://link/7KQ2-M9XD-4TNB-0WHE#Xk2fQ9...'",
        "  parley devices approve 7KQ2-M9XD-4TNB-0WHE --yes"
      })
  static final class Approve implements Runnable {
    @ParentCommand DevicesCommand devices;

    @Parameters(
        paramLabel = "CODE_OR_URI",
        description = "The code or the link URI the new device shows.")
    String codeOrUri;

    @Option(names = "--yes", description = "Approve without asking.")
    boolean yes;

    @Override
    public void run() {
      Parley parley = devices.parley;
      Output out = parley.output();
      try (ParleyClient client = parley.openClient()) {
        LinkRequestInfo info = client.linkInfo(codeOrUri);
        out.note(
            "Device \""
                + info.deviceName()
                + "\" asks to join this account.\nIts key fingerprint: "
                + info.fingerprint()
                + (info.verifiedByUri()
                    ? " (matches the link URI)"
                    : "\nCompare it with the fingerprint the new device shows."));
        if (!yes && !confirm(parley)) {
          throw new org.parley.client.ClientException(
              "not approved. Run again and answer y, or reject it with parley devices reject "
                  + info.code());
        }
        client.approveLink(codeOrUri);
        var me = client.identity().orElseThrow();
        out.result(
            "Approved: \""
                + info.deviceName()
                + "\" joins this account once it accepts on its own"
                + " screen, which shows "
                + me.handle()
                + " and this device's key fingerprint "
                + me.fingerprint()
                + ".",
            new Devices.Approved(true, info.deviceName(), info.fingerprint()));
      }
    }

    private static boolean confirm(Parley parley) {
      var console = System.console();
      String answer;
      if (console != null) {
        answer = console.readLine("Approve it? [y/N] ");
      } else {
        parley.err().print("Approve it? [y/N] ");
        parley.err().flush();
        try {
          answer =
              new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                  .readLine();
        } catch (java.io.IOException e) {
          answer = null;
        }
      }
      return answer != null
          && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
  }

  /** {@code parley devices reject}. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Rejects a new device's link request.",
      footer = {"", "Examples:", "  parley devices reject 7KQ2-M9XD-4TNB-0WHE"})
  static final class Reject implements Runnable {
    @ParentCommand DevicesCommand devices;

    @Parameters(paramLabel = "CODE", description = "The code (or link URI) the new device shows.")
    String code;

    @Override
    public void run() {
      try (ParleyClient client = devices.parley.openClient()) {
        client.rejectLink(code);
        devices
            .parley
            .output()
            .result("Rejected link request " + code + ".", new Devices.Rejected(true));
      }
    }
  }

  /** {@code parley devices remove}. */
  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Removes a device from this account at once: its credential stops working and its queued"
            + " messages are deleted.",
        "Removing this device itself leaves the profile unusable."
      },
      footer = {"", "Examples:", "  parley devices remove 2"})
  static final class Remove implements Runnable {
    @ParentCommand DevicesCommand devices;

    @Parameters(paramLabel = "ID", description = "The device id (see parley devices list).")
    int deviceId;

    @Override
    public void run() {
      if (deviceId < 1 || deviceId > DeviceId.MAX) {
        throw new Failures.UsageException("a device id is between 1 and " + DeviceId.MAX);
      }
      try (ParleyClient client = devices.parley.openClient()) {
        client.removeDevice(deviceId);
        devices
            .parley
            .output()
            .result("Removed device " + deviceId + ".", new Devices.Removed(deviceId));
      }
    }
  }
}
