package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ParleyServer;
import org.parley.server.TestPostgres;
import picocli.CommandLine;

/**
 * {@code parley server --store postgres} (the example its help shows) starts a server on
 * PostgreSQL: the command line carries the PostgreSQL store (issue 8, item 12), and its password
 * comes from the environment or a file, never the command line (item 21).
 */
class ServerCommandPostgresIT {
  /** The test PostgreSQL trusts local connections, so any password is accepted; this one shows. */
  private static final String PASSWORD =
      TestPostgres.PASSWORD.isEmpty()
          ? "trusted-anyway-" + UUID.randomUUID()
          : TestPostgres.PASSWORD;

  @TempDir Path dir;
  private final String schema =
      "cli_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  @AfterEach
  void dropSchema() {
    TestPostgres.dropSchema(schema);
  }

  private List<String> postgresArgs() {
    TestPostgres.ensureDatabase();
    return List.of(
        "--store",
        "postgres",
        "--store-setting",
        "url=" + TestPostgres.URL,
        "--store-setting",
        "user=" + TestPostgres.USER,
        "--store-setting",
        "schema=" + schema,
        "--port",
        "0",
        "--data-dir",
        dir.resolve("server").toString());
  }

  private static void assertHealthy(URI server) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create(server + "/v1/health")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theServerCommandRunsOnPostgres() throws Exception {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(postgresArgs().toArray(String[]::new));
    try (ParleyServer server = ParleyServer.start(command.config(Map.of()))) {
      assertHealthy(server.uri());
    }
  }

  @Test
  void thePasswordFromAFileReachesTheStore() throws Exception {
    Path secret = dir.resolve("db-password");
    Files.writeString(secret, PASSWORD + "\n");
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    ServerCommand command = new ServerCommand();
    List<String> args = new java.util.ArrayList<>(postgresArgs());
    args.addAll(List.of("--store-setting", "password-file=" + secret));
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    try (ParleyServer server = ParleyServer.start(command.config(Map.of()))) {
      assertHealthy(server.uri());
      // what the store provider was given (ParleyServer.openStore passes these settings)
      assertThat(server.config().effectiveStoreSettings())
          .containsEntry("password", PASSWORD)
          .doesNotContainKey("password-file");
      assertThat(server.config().toString()).contains("password=***").doesNotContain(PASSWORD);
    }
  }

  @Test
  void thePasswordFromTheEnvironmentReachesTheStore() throws Exception {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(postgresArgs().toArray(String[]::new));
    try (ParleyServer server =
        ParleyServer.start(command.config(Map.of("PARLEY_STORE_PASSWORD", PASSWORD)))) {
      assertHealthy(server.uri());
      assertThat(server.config().effectiveStoreSettings()).containsEntry("password", PASSWORD);
    }
  }

  /** The whole command, as a person runs it, with the password in its environment. */
  @Test
  void parleyServerRunsOnPostgresWithThePasswordInItsEnvironment() throws Exception {
    List<String> args = new java.util.ArrayList<>(List.of("server"));
    args.addAll(postgresArgs());
    CliRun.Background run =
        CliRun.start(Map.of("PARLEY_STORE_PASSWORD", PASSWORD), args.toArray(String[]::new));
    try {
      var started =
          run.awaitOut(
              Pattern.compile(
                  "Parley server on (http://\\S+) \\(handles @localhost," + " postgres store"),
              Duration.ofSeconds(60));
      assertHealthy(URI.create(started.group(1)));
      assertThat(dir.resolve("server").resolve("server.port")).exists();
    } finally {
      run.stop();
    }
    // stopped by an interrupt, the command stopped its server (which removes its port file)
    assertThat(dir.resolve("server").resolve("server.port")).doesNotExist();
  }
}
