package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ParleyServer;
import org.parley.server.TestPostgres;
import picocli.CommandLine;

/**
 * {@code parley server --store postgres} (the example its help shows) starts a server on
 * PostgreSQL: the command line carries the PostgreSQL store (issue 8, item 12).
 */
class ServerCommandPostgresIT {
  @TempDir Path dir;

  @Test
  void theServerCommandRunsOnPostgres() throws Exception {
    String schema = "cli_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    TestPostgres.ensureDatabase();
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs("--store", "postgres", "--store-setting",
        "url=" + TestPostgres.URL, "--store-setting", "user=" + TestPostgres.USER,
        "--store-setting", "schema=" + schema, "--port", "0", "--data-dir", dir.toString());
    try (ParleyServer server = ParleyServer.start(command.config());
        HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> health = http.send(
          HttpRequest.newBuilder(URI.create(server.uri() + "/v1/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    } finally {
      TestPostgres.dropSchema(schema);
    }
  }
}
