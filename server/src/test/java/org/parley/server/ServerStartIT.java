package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerStartIT {
  @TempDir Path dir;

  @Test
  void defaultsAreAsDocumented() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.domain()).isEqualTo("localhost");
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir()).isEqualTo(Path.of("parley-data"));
    assertThat(c.store()).isEqualTo("sqlite");
    assertThat(c.effectiveStoreSettings())
        .containsEntry("path", Path.of("parley-data", "parley.db").toString());
    assertThat(c.tlsCertificate()).isNull();
    assertThat(c.preKeyFetchesPerHour()).isEqualTo(200);
    assertThat(c.registrationsPerHour()).isEqualTo(1000);
    assertThat(c.linkTtl()).hasMinutes(10);
  }

  @Test
  void refusesANonLoopbackHostWithoutTls() {
    ServerConfig config = ServerConfig.defaults().withHost("0.0.0.0").withPort(0).withDataDir(dir);
    assertThatThrownBy(() -> ParleyServer.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without TLS");
    ServerConfig half =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDir(dir)
            .withTlsCertificate(dir.resolve("c.pem"));
    assertThatThrownBy(() -> ParleyServer.start(half)).hasMessageContaining("both");
    ServerConfig unknownStore =
        ServerConfig.defaults().withPort(0).withDataDir(dir).withStore("nosuch");
    assertThatThrownBy(() -> ParleyServer.start(unknownStore))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown store 'nosuch'");
  }

  @Test
  void writesThePortFileAndRemovesItOnClose() throws Exception {
    try (TestServer server = TestServer.start()) {
      Path portFile = server.dir.resolve("server.port");
      assertThat(Files.readString(portFile).trim())
          .isEqualTo(Integer.toString(server.server.port()));
      assertThat(server.server.uri().toString())
          .isEqualTo("http://127.0.0.1:" + server.server.port());
      server.server.close();
      assertThat(portFile).doesNotExist();
    } // closes again: a no-op
  }

  @ParameterizedTest
  @ValueSource(strings = {"ec", "rsa"})
  void servesHttpsFromPemFiles(String kind) throws Exception {
    Path cert = copy("tls/" + kind + "-cert.pem");
    Path key = copy("tls/" + kind + "-key.pem");
    ServerConfig config =
        ServerConfig.defaults()
            .withDomain("parley.test")
            .withPort(0)
            .withDataDir(dir)
            .withTls(cert, key);
    try (ParleyServer server = ParleyServer.start(config)) {
      assertThat(server.uri().getScheme()).isEqualTo("https");
      HttpClient client = HttpClient.newBuilder().sslContext(trusting(cert)).build();
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(server.uri().resolve("/v1/server")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("parley.test");
      client.close();
    }
  }

  @Test
  void refusesUnreadableOrWrongPemFiles() throws Exception {
    Path cert = copy("tls/ec-cert.pem");
    Path notAKey = dir.resolve("not-a-key.pem");
    Files.writeString(
        notAKey, "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
    ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dir);
    assertThatThrownBy(() -> ParleyServer.start(config.withTls(cert, notAKey)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS#8");
    assertThatThrownBy(
            () -> ParleyServer.start(config.withTls(dir.resolve("missing.pem"), notAKey)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing.pem");
  }

  @Test
  void serverMainStartsAProcessThatPrintsTheListeningLine() throws Exception {
    Process process =
        serverMain(
            "--data-dir",
            dir.toString(),
            "--port",
            "0",
            "--domain",
            "main.test",
            "--store-setting",
            "path=" + dir.resolve("main.db"));
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      String listening = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (listening == null && System.nanoTime() < deadline && (line = out.readLine()) != null) {
        if (line.contains("Parley server listening on")) {
          listening = line;
        }
      }
      assertThat(listening).contains("(domain main.test, store sqlite)");
      String port = Files.readString(dir.resolve("server.port")).trim();
      assertThat(listening).contains("http://127.0.0.1:" + port);
      assertThat(dir.resolve("main.db")).exists();
      // a second server on the same data directory, from another process, is refused
      ServerConfig second =
          ServerConfig.defaults()
              .withPort(0)
              .withDataDir(dir)
              .withStoreSetting("path", dir.resolve("main.db").toString());
      assertThatThrownBy(() -> ParleyServer.start(second))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another Parley server (pid " + process.pid() + ")")
          .hasMessageContaining(dir.toString());
      try (HttpClient client = HttpClient.newHttpClient()) {
        var r =
            client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneDataDirectoryServesOneServerAtATime() {
    ServerConfig config = ServerConfig.defaults().withPort(0).withDataDir(dir.resolve("one"));
    try (ParleyServer first = ParleyServer.start(config)) {
      assertThatThrownBy(() -> ParleyServer.start(config))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another Parley server");
      assertThat(first.uri()).isNotNull(); // the first one is untouched
    }
    try (ParleyServer again = ParleyServer.start(config)) { // free once the first closed
      assertThat(again.uri()).isNotNull();
    }
  }

  @Test
  void serverMainRejectsBadArgumentsWithExitCodeTwo() throws Exception {
    for (List<String> args :
        List.of(
            List.of("--bogus", "1"),
            List.of("--port", "x"),
            List.of("--port"),
            List.of("--host", "0.0.0.0", "--data-dir", dir.toString()),
            List.of("--kt-epoch", "soon"),
            List.of("--config", dir.resolve("missing.conf").toString()))) {
      Process process = serverMain(args.toArray(String[]::new));
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
      String err =
          new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(process.exitValue()).as("%s: %s", args, err).isEqualTo(2);
      assertThat(err).startsWith("parley-server: ").doesNotContain("\n");
    }
  }

  @Test
  void serverMainRefusesAPasswordOnItsCommandLine() throws Exception {
    Process process =
        serverMain("--data-dir", dir.toString(), "--store-setting", "password=hunter2");
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(err)
        .startsWith("parley-server: ")
        .doesNotContain("\n")
        .doesNotContain("hunter2")
        .contains("PARLEY_STORE_PASSWORD", "password-file");
  }

  @Test
  void serverMainLogsItsConfigurationWithTheSecretsHidden() throws Exception {
    Path conf = dir.resolve("server.conf");
    Files.writeString(
        conf, "domain = conf.test\nstore-setting.path = " + dir.resolve("conf.db") + "\n");
    Map<String, String> env = Map.of("PARLEY_STORE_PASSWORD", "hunter2");
    Process process =
        serverMain(env, "--config", conf.toString(), "--data-dir", dir.toString(), "--port", "0");
    try (var out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String configuration = null;
      StringBuilder all = new StringBuilder();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      String line;
      while (configuration == null
          && System.nanoTime() < deadline
          && (line = out.readLine()) != null) {
        all.append(line).append('\n');
        if (line.contains("configuration: ServerConfig[")) {
          configuration = line;
        }
      }
      assertThat(configuration)
          .as("the server's output: %s", all)
          .contains("domain=conf.test", "password=***", "path=" + dir.resolve("conf.db"));
      assertThat(all).doesNotContain("hunter2");
    } finally {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverMainPrintsItsHelp() throws Exception {
    Process process = serverMain("--help");
    assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isZero();
    assertThat(out)
        .startsWith("Usage: parley-server")
        .contains("--config=FILE", "--kt-epoch", "Examples:");
  }

  private static Process serverMain(String... args) throws Exception {
    return serverMain(Map.of(), args);
  }

  private static Process serverMain(Map<String, String> env, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                "org.parley.server.ServerMain"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("PARLEY_STORE_PASSWORD");
    builder.environment().putAll(env);
    return builder.start();
  }

  private Path copy(String resource) throws Exception {
    Path target = dir.resolve(resource.replace('/', '-'));
    try (var in = getClass().getClassLoader().getResourceAsStream(resource)) {
      Files.write(target, in.readAllBytes());
    }
    return target;
  }

  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (var in = Files.newInputStream(cert)) {
      trust.setCertificateEntry(
          "server", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
