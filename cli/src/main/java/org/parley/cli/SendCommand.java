package org.parley.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.parley.cli.json.Event;
import org.parley.cli.json.Sent;
import org.parley.client.ClientEvent;
import org.parley.client.HistoryEntry;
import org.parley.client.ParleyClient;
import org.parley.client.SendResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code parley send}: one text to a handle, encrypted for each of its devices. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Sends a text, end-to-end encrypted for each of the recipient's devices (and copied to your"
          + " other devices), and prints its delivery status.",
      "With --wait, keeps receiving until every device confirmed delivery or the time is up.",
      "A device the key-transparency log does not prove is not encrypted to, and named. A send"
          + " that raises a key-transparency alarm, or withholds a device of a contact with an"
          + " open alarm, prints it and exits with 3; when no device of the recipient can be"
          + " encrypted to, nothing is sent.",
      "The text is stored before it is sent. If the server cannot take it (unreachable, failing,"
          + " or asking to wait), it waits in the outbox and exit code 4 says so: the next send,"
          + " receive or listen sends it, and parley outbox shows what waits."
    },
    footer = {
      "",
      "Examples:",
      "  parley send bob@localhost Hello Bob",
      "  parley send bob 'See you at 5?' --wait 10",
      "  echo 'from a script' | parley send bob -",
      "  parley send bob --file note.txt"
    })
final class SendCommand implements Runnable {
  @ParentCommand Parley parley;

  @Parameters(
      index = "0",
      paramLabel = "HANDLE",
      description = "The recipient: name@domain, or name on your server.")
  String handle;

  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "TEXT",
      description =
          "The message; several words are joined with spaces. '-' reads it from standard input.")
  List<String> words;

  @Option(
      names = "--file",
      paramLabel = "FILE",
      description = "Read the message from FILE (UTF-8) instead.")
  java.nio.file.Path file;

  /** Most bytes of text read from standard input or a file. */
  private static final int MAX_TEXT = 64 * 1024;

  @Option(
      names = "--wait",
      paramLabel = "SECONDS",
      description = "Wait up to this long for delivery receipts (default: 0).")
  int waitSeconds;

  @Override
  public void run() {
    if (waitSeconds < 0) {
      throw new Failures.UsageException("--wait takes a number of seconds, 0 or more");
    }
    String text = text(); // every usage error comes before any network call
    Output out = parley.output();
    try (ParleyClient client = parley.openClient()) {
      SendResult sent = client.send(handle, text);
      HistoryEntry entry = find(client, sent);
      if (waitSeconds > 0 && sent.sent()) {
        Instant until = Instant.now().plusSeconds(waitSeconds);
        while (!fullyDelivered(entry) && Instant.now().isBefore(until)) {
          for (ClientEvent event : client.receive()) {
            if (!(event instanceof ClientEvent.DeliveryConfirmed)) {
              out.note(Show.plain(event, Show.deviceOf(client)));
            }
          }
          entry = find(client, sent);
          if (!fullyDelivered(entry)) {
            sleep(Duration.ofMillis(500));
          }
        }
      }
      String status =
          entry == null
              ? "sent"
              : entry.delivery().map(HistoryEntry.Delivery::describe).orElse("sent");
      Sent json =
          new Sent(
              sent.messageId(),
              sent.peer(),
              sent.recipientDevices(),
              sent.ownDevices(),
              entry == null ? 0 : entry.delivery().map(HistoryEntry.Delivery::delivered).orElse(0),
              status,
              sent.sentAt().toEpochMilli(),
              sent.withheldDevices(),
              !sent.sent());
      out.result(
          "Sent to "
              + sent.peer()
              + " ("
              + plural(sent.recipientDevices(), "device")
              + (sent.ownDevices() > 0
                  ? ", and " + plural(sent.ownDevices(), "other device") + " of yours"
                  : "")
              + "): "
              + status
              + ".",
          json);
      int thisDevice = Show.deviceOf(client);
      sent.withheldDevices()
          .forEach(
              (device, why) ->
                  out.note("Not sent to device " + device + " of " + sent.peer() + ": " + why));
      boolean alarm = false;
      for (ClientEvent event : sent.events()) {
        out.result(Show.plain(event, thisDevice), Event.of(event));
        alarm |= event instanceof ClientEvent.KeyTransparencyAlarm;
      }
      if (alarm) {
        throw new Failures.AlarmException("the send raised a key-transparency alarm; see above");
      }
      // a refusal standing since an earlier send is still no clean success
      if (!sent.withheldDevices().isEmpty()
          && client.keyTransparencyAlarms().stream()
              .anyMatch(a -> a.open() && a.subject().equals(sent.peer()))) {
        throw new Failures.AlarmException(
            "devices "
                + sent.withheldDevices().keySet()
                + " of "
                + sent.peer()
                + " were not encrypted to, for an open key-transparency alarm about "
                + sent.peer()
                + " (parley verify "
                + sent.peer()
                + " shows it)");
      }
      sent.pending()
          .ifPresent(
              why -> {
                throw new Failures.QueuedException(
                    "the text to "
                        + sent.peer()
                        + " is not sent yet ("
                        + why
                        + "); it waits in the outbox and the next send, receive or listen that reaches"
                        + " the server sends it (parley outbox shows what waits)");
              });
    }
  }

  /** The message from the arguments, standard input ({@code -}) or {@code --file}. */
  private String text() {
    boolean fromWords = words != null && !words.isEmpty();
    if (fromWords && file != null) {
      throw new Failures.UsageException("give the message as TEXT or with --file, not both");
    }
    String text;
    if (file != null) {
      text = read(() -> java.nio.file.Files.newInputStream(file), "the file " + file);
    } else if (fromWords && words.equals(List.of("-"))) {
      text = read(parley::stdin, "standard input");
    } else if (fromWords) {
      text = String.join(" ", words);
    } else {
      throw new Failures.UsageException(
          "no message: give TEXT, '-' for standard input, or" + " --file FILE");
    }
    if (text.isBlank()) {
      throw new Failures.UsageException("the message is empty");
    }
    return text;
  }

  private interface Source {
    java.io.InputStream open() throws java.io.IOException;
  }

  private static String read(Source source, String what) {
    try (java.io.InputStream in = source.open()) {
      byte[] bytes = in.readNBytes(MAX_TEXT + 1);
      if (bytes.length > MAX_TEXT) {
        throw new Failures.UsageException(
            "the message from " + what + " is longer than " + MAX_TEXT / 1024 + " KiB");
      }
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      // one trailing line break is how files and pipes end, not part of the message
      return text.endsWith("\r\n")
          ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (java.io.IOException e) {
      throw new org.parley.client.ClientException(
          "cannot read the message from " + what + ": " + e.getMessage(), e);
    }
  }

  private static HistoryEntry find(ParleyClient client, SendResult sent) {
    return client.history(sent.peer(), 200).stream()
        .filter(e -> e.messageId().filter(sent.messageId()::equals).isPresent())
        .findFirst()
        .orElse(null);
  }

  private static boolean fullyDelivered(HistoryEntry entry) {
    return entry == null
        || entry
            .delivery()
            .map(d -> d.recipientDevices().map(n -> d.delivered() >= n).orElse(true))
            .orElse(true);
  }

  private static String plural(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new org.parley.client.ClientException("interrupted", e);
    }
  }
}
