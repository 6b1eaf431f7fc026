package org.parley.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.parley.cli.json.Alarm;
import org.parley.cli.json.Verified;
import org.parley.client.KtAlarm;
import org.parley.client.KtStatus;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley verify}: a contact's safety number and what the key-transparency log proves. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Shows what the key-transparency log proves about a contact: the account its handle names,"
          + " the version of its device list, the devices it proves (each key checked against what"
          + " the server's directory says), any device Parley refuses to encrypt to, the log head"
          + " it was checked at, and the safety number over the proven keys.",
      "Also runs this device's own checks first (its account's device list, and the contacts it"
          + " monitors). An alarm means the server showed something an honest server never does;"
          + " while one is open, or a listed device is refused, the command exits with 3. An alarm"
          + " about a changed key is resolved (kept, marked accepted) by --accept-key."
    },
    footer = {
      "",
      "Examples:",
      "  parley verify bob@example.org",
      "  parley --json verify bob",
      "  parley verify --require-auditor Jm3...Q --max-auditor-lag PT30M bob",
      "  parley verify --accept-key 3:Jm3kX0aQ2mZ8pLw1vB7sYc bob@example.org   (after comparing"
          + " safety numbers)"
    })
final class VerifyCommand implements Runnable {
  private static String grouped(String digits) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 5) {
      out.append(i % 20 == 0 ? "\n  " : " ").append(digits, i, Math.min(i + 5, digits.length()));
    }
    return out.toString();
  }

  @ParentCommand Parley parley;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "HANDLE",
      description = "The contact: name@domain, or name on your server.")
  String handle;

  @picocli.CommandLine.Option(
      names = "--require-auditor",
      paramLabel = "KEY",
      description =
          "From now on require, with every check this profile makes, a fresh signed head"
              + " from this auditor (the key parley audit prints).")
  String requireAuditor;

  @picocli.CommandLine.Option(
      names = "--max-auditor-lag",
      paramLabel = "DURATION",
      defaultValue = "PT1H",
      description =
          "How far the auditor may lag behind the log's newest"
              + " entry (ISO-8601, default PT1H).")
  java.time.Duration maxAuditorLag;

  @picocli.CommandLine.Option(names = "--no-auditor", description = "Stop requiring an auditor.")
  boolean noAuditor;

  @picocli.CommandLine.Option(
      names = "--accept-key",
      paramLabel = "DEVICE:FINGERPRINT",
      description =
          "Accept the new key the log proves for this device of the contact (the"
              + " fingerprint parley verify showed for it), replacing the one trusted before. Only"
              + " after comparing in person the safety number shown for the new key.")
  String acceptKey;

  @Override
  public void run() {
    try (ParleyClient client = parley.openClient()) {
      if (noAuditor) {
        client.requireAuditor(null, maxAuditorLag);
      } else if (requireAuditor != null) {
        client.requireAuditor(requireAuditor, maxAuditorLag);
      }
      if (acceptKey != null) {
        int colon = acceptKey.indexOf(':');
        int device;
        try {
          device = Integer.parseInt(colon < 0 ? "" : acceptKey.substring(0, colon));
        } catch (NumberFormatException e) {
          throw new picocli.CommandLine.ParameterException(
              spec.commandLine(),
              "--accept-key takes DEVICE:FINGERPRINT, as parley verify prints it, e.g. 2:Jm3kX0");
        }
        client.acceptChangedKey(handle, device, acceptKey.substring(colon + 1));
        parley
            .output()
            .note(
                "Accepted the key "
                    + acceptKey.substring(colon + 1)
                    + " for device "
                    + device
                    + " of "
                    + handle
                    + "; the alarms about its changed key are kept, marked"
                    + " accepted.");
      }
      List<KtAlarm> own = client.checkKeyTransparency();
      KtStatus status = client.verify(handle);
      List<KtAlarm> alarms = new ArrayList<>(own);
      status.alarms().stream()
          .filter(a -> alarms.stream().noneMatch(b -> b.id() == a.id()))
          .forEach(alarms::add);
      StringBuilder plain = new StringBuilder();
      plain.append(status.handle()).append(" is account ").append(status.accountId()).append('\n');
      plain
          .append("Key transparency: device list version ")
          .append(status.version())
          .append(", devices ")
          .append(status.provenDevices())
          .append(" proven in the log at size ")
          .append(status.treeSize())
          .append('\n');
      plain.append("Log root: ").append(status.root()).append('\n');
      client
          .logHash()
          .ifPresent(
              hash ->
                  plain
                      .append("Log: kt=")
                      .append(hash)
                      .append(" (compare it with the one your server's operator publishes)\n"));
      if (!status.refusedDevices().isEmpty()) {
        plain
            .append("REFUSED: devices ")
            .append(status.refusedDevices())
            .append(
                " are listed by the server but not proven or not approved; Parley does not"
                    + " encrypt to them\n");
      }
      String digits = status.safetyNumber();
      plain.append("Safety number:").append(grouped(digits));
      status
          .changedKeys()
          .forEach(
              (device, fingerprint) ->
                  plain
                      .append("\nCHANGED KEY: device ")
                      .append(device)
                      .append(" has a new key (")
                      .append(fingerprint)
                      .append(") that the log" + " proves; Parley does not use it."));
      status
          .safetyNumberWithChangedKeys()
          .ifPresent(
              n ->
                  plain
                      .append("\nSafety number with the" + " new key(s), to compare with ")
                      .append(status.handle())
                      .append(" in person:")
                      .append(grouped(n))
                      .append("\nIf it matches theirs, accept with: parley verify ")
                      .append(status.handle())
                      .append(
                          status.changedKeys().entrySet().stream()
                              .map(e -> " --accept-key " + e.getKey() + ":" + e.getValue())
                              .findFirst()
                              .orElse("")));
      for (KtAlarm alarm : alarms) {
        if (alarm.open()) {
          plain
              .append("\nALARM (")
              .append(alarm.kind().wireName())
              .append(", ")
              .append(Instant.ofEpochMilli(alarm.raisedAt()))
              .append("): ")
              .append(alarm.message());
        } else {
          var r = alarm.resolution().orElseThrow();
          plain
              .append("\nResolved alarm (")
              .append(alarm.kind().wireName())
              .append(", raised ")
              .append(Instant.ofEpochMilli(alarm.raisedAt()))
              .append(", ")
              .append(r.status().name().toLowerCase(java.util.Locale.ROOT))
              .append(' ')
              .append(Instant.ofEpochMilli(r.at()))
              .append("): ")
              .append(r.note());
        }
      }
      Verified json =
          new Verified(
              status.handle(),
              status.accountId(),
              status.version(),
              status.provenDevices(),
              List.copyOf(status.refusedDevices()),
              status.treeSize(),
              status.root(),
              client.logHash().orElse(null),
              digits,
              status.changedKeys(),
              status.safetyNumberWithChangedKeys().orElse(null),
              alarms.stream().map(Alarm::of).toList());
      parley.output().result(plain.toString(), json);
      long open = alarms.stream().filter(KtAlarm::open).count();
      if (open > 0) {
        throw new Failures.AlarmException(open + " open key-transparency alarm(s); see above");
      }
      if (!status.refusedDevices().isEmpty()) {
        throw new Failures.AlarmException(
            "the server lists devices "
                + status.refusedDevices()
                + " of "
                + status.handle()
                + " that the key-transparency log does not prove or no"
                + " device of the account approved");
      }
    }
  }
}
