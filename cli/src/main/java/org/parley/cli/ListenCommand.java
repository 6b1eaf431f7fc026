package org.parley.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.cli.json.Event;
import org.parley.client.MessageListener;
import org.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code parley listen}: stays connected and prints each message as it arrives. */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    description = {
      "Stays connected to the server and prints each message, receipt and error as it arrives;"
          + " reconnects by itself within seconds of the server's return, and sends what waits in"
          + " the outbox. Ctrl-C stops it.",
      "One listen per profile: a second one is refused (exit code 7). send, history and the"
          + " other commands work beside it, from another terminal.",
      "A key-transparency alarm (the server showed something an honest server never does) is"
          + " printed and stops it with exit code 3; device changes of your account and of your"
          + " contacts are printed as they are proven."
    },
    footer = {"", "Examples:", "  parley listen", "  parley --json listen | jq .text"})
final class ListenCommand implements Runnable {
  @ParentCommand Parley parley;

  @Override
  public void run() {
    Output out = parley.output();
    ParleyClient client = parley.openClient();
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicBoolean alarmed = new AtomicBoolean();
    MessageListener listener;
    int thisDevice = Show.deviceOf(client);
    try {
      client
          .identity()
          .ifPresent(
              me ->
                  out.note(
                      "Listening as "
                          + me.handle()
                          + " device "
                          + me.deviceId()
                          + ". Ctrl-C stops."));
      listener =
          client.listen(
              event -> {
                if (!stopping.get()) {
                  out.result(Show.plain(event, thisDevice), Event.of(event));
                }
                if (event instanceof org.parley.client.ClientEvent.KeyTransparencyAlarm) {
                  alarmed.set(true); // printed; the main thread stops listening
                }
              });
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              listener.close();
              client.close();
            },
            "parley-listen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      // an alarm ends the command: whoever supervises it must learn that this server lies
      while (!listener.join(java.time.Duration.ofMillis(200)) && !alarmed.get()) {
        // waiting for the listener to stop, or for an alarm
      }
    } catch (InterruptedException e) {
      interrupted = true; // a program running this command in-process asks it to stop
    }
    if (!stopping.get()) {
      // not a Ctrl-C: the listener stopped by itself (the device was removed), or this thread was
      // interrupted. Close with the interrupt flag clear, so that close() waits for the envelope
      // in hand and the receipts owed instead of returning at once under a closing client.
      Runtime.getRuntime().removeShutdownHook(hook);
      listener.close();
      client.close();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (alarmed.get()) {
      throw new Failures.AlarmException("a key-transparency alarm stopped listening; see above");
    }
    listener
        .failure()
        .ifPresent(
            f -> {
              throw f;
            });
  }
}
