package org.parley.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.Json;
import org.parley.protocol.message.GroupSendResponse;
import picocli.CommandLine.Option;

/**
 * What the group benches share: their server and load options, and the upload loop (the same body
 * from several requests in flight, each answered after its commits, every account accepted).
 */
final class GroupUploads {
  @Option(
      names = "--store",
      defaultValue = "sqlite",
      description = "sqlite or postgres (default: ${DEFAULT-VALUE}).")
  String store;

  @Option(
      names = "--postgres-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:5432/parley",
      description = "With --store postgres (default: ${DEFAULT-VALUE}).")
  String postgresUrl;

  @Option(
      names = "--seconds",
      defaultValue = "10",
      description = "Upload time per size, after a warm-up (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--senders",
      defaultValue = "4",
      description = "Uploads in flight (default: ${DEFAULT-VALUE}).")
  int senders;

  @Option(
      names = "--server-jvm-options",
      defaultValue = "-Xms2g -Xmx2g",
      description = "JVM options of the child server (default: ${DEFAULT-VALUE}).")
  String serverJvmOptions;

  /** A server of the chosen store, with its PostgreSQL schema if it has one; both closed. */
  record Started(PostgresSchema schema, ServerProcess server) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      try (schema) {
        server.close();
      }
    }
  }

  /** Starts the server the options name, on a fresh schema for PostgreSQL. */
  Started startServer() throws Exception {
    PostgresSchema schema =
        store.equals("postgres") ? PostgresSchema.create(postgresUrl, "postgres", "") : null;
    try {
      return new Started(
          schema,
          ServerProcess.start(
              store,
              schema == null ? java.util.Map.of() : schema.storeSettings(),
              List.of(),
              List.of(serverJvmOptions.trim().split("\\s+"))));
    } catch (RuntimeException e) {
      if (schema != null) {
        schema.close();
      }
      throw e;
    }
  }

  /**
   * Uploads {@code body} to {@code uri} from {@link #senders} requests in flight for {@code time},
   * counting the envelopes committed and the uploads answered.
   *
   * @throws IllegalStateException if an upload is refused, or an account in it is
   */
  void runFor(
      HttpClient http,
      URI uri,
      byte[] body,
      Optional<String> authorization,
      Duration time,
      AtomicLong envelopes,
      AtomicLong uploads)
      throws Exception {
    long deadline = System.nanoTime() + time.toNanos();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    authorization.ifPresent(a -> builder.header("Authorization", a));
    HttpRequest request = builder.build();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        running.add(
            pool.submit(
                () -> {
                  while (System.nanoTime() < deadline) {
                    HttpResponse<String> r =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      throw new IllegalStateException(
                          "upload answered " + r.statusCode() + ": " + r.body());
                    }
                    GroupSendResponse answer = Json.read(r.body(), GroupSendResponse.class);
                    if (!answer.refused().isEmpty()) {
                      throw new IllegalStateException("refused: " + answer.refused());
                    }
                    envelopes.addAndGet(answer.devices());
                    uploads.incrementAndGet();
                  }
                  return null;
                }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    }
  }
}
