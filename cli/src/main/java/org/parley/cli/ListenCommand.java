package org.parley.cli;

import java.util.concurrent.atomic.AtomicBoolean;
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
          + " other commands work beside it, from another terminal."
    },
    footer = {"", "Examples:", "  parley listen", "  parley --json listen | jq .text"})
final class ListenCommand implements Runnable {
  @ParentCommand Parley parley;

  @Override
  public void run() {
    Output out = parley.output();
    ParleyClient client = parley.openClient();
    AtomicBoolean stopping = new AtomicBoolean();
    MessageListener listener;
    int thisDevice = Show.deviceOf(client);
    try {
      client.identity()
          .ifPresent(me -> out.note("Listening as " + me.handle() + " device " + me.deviceId() + ". Ctrl-C stops."));
      listener =
          client.listen(
              event -> {
                if (!stopping.get()) {
                  out.result(Show.plain(event, thisDevice), Show.json(event));
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
      listener.join();
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
    listener.failure().ifPresent(f -> {
      throw f;
    });
  }
}
