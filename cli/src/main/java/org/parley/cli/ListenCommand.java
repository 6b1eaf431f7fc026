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
          + " reconnects by itself. Ctrl-C stops it."
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
    try {
      listener.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!stopping.get()) {
      // the listener stopped by itself (the device was removed): not a Ctrl-C
      Runtime.getRuntime().removeShutdownHook(hook);
      listener.close();
      client.close();
      listener.failure().ifPresent(f -> {
        throw f;
      });
    }
  }
}
