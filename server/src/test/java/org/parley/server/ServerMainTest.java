package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerMainTest {
  @Test
  void parsesEveryOption() {
    ServerConfig c =
        ServerMain.parse(
            List.of(
                "--data-dir",
                "/tmp/d",
                "--port=9000",
                "--host",
                "localhost",
                "--domain",
                "Example.ORG",
                "--store",
                "postgres",
                "--store-setting",
                "url=jdbc:postgresql://h/db?ssl=true",
                "--store-setting",
                "user=u",
                "--tls-cert",
                "c.pem",
                "--tls-key",
                "k.pem",
                "--kt-epoch",
                "500ms",
                "--kt-heartbeat",
                "PT30S",
                "--kt-monitoring-window",
                "2h",
                "--kt-max-behind",
                "5m",
                "--limit",
                "registrations-per-hour=3"));
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/d"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.host()).isEqualTo("localhost");
    assertThat(c.domain()).isEqualTo("example.org");
    assertThat(c.store()).isEqualTo("postgres");
    assertThat(c.storeSettings())
        .containsEntry("url", "jdbc:postgresql://h/db?ssl=true")
        .containsEntry("user", "u");
    assertThat(c.effectiveStoreSettings()).doesNotContainKey("path");
    assertThat(c.tlsCertificate()).isEqualTo(Path.of("c.pem"));
    assertThat(c.tlsPrivateKey()).isEqualTo(Path.of("k.pem"));
    assertThat(c.kt().epoch()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.kt().heartbeat()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.kt().monitoringWindow()).isEqualTo(Duration.ofHours(2));
    assertThat(c.kt().maxBehind()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.registrationsPerHour()).isEqualTo(3);
  }

  @Test
  void theDefaultsAreTheParleyServerCommands() {
    ServerConfig c = ServerMain.parse(List.of());
    assertThat(c.dataDir())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".parley", "server"));
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.host()).isEqualTo("127.0.0.1");
    assertThat(c.domain()).isEqualTo("localhost");
    assertThat(c.store()).isEqualTo("sqlite");
    assertThat(c.kt()).isEqualTo(org.parley.server.kt.KtSettings.defaults());
    assertThat(ServerMain.parse(List.of("--tls-cert", "c.pem", "--tls-key", "k.pem")).port())
        .isEqualTo(443);
    assertThat(
            ServerMain.parse(List.of("--tls-cert", "c.pem", "--tls-key", "k.pem", "--port", "8443"))
                .port())
        .isEqualTo(8443);
  }

  @Test
  void theKeyTransparencyOptionsMayComeInAnyOrder() {
    // a heartbeat beyond the default max-behind is fine once max-behind follows
    ServerConfig c = ServerMain.parse(List.of("--kt-heartbeat", "20m", "--kt-max-behind", "30m"));
    assertThat(c.kt().heartbeat()).isEqualTo(Duration.ofMinutes(20));
    assertThat(ServerMain.parse(List.of("--kt-max-behind", "30m", "--kt-heartbeat", "20m")).kt())
        .isEqualTo(c.kt());
    assertThatThrownBy(() -> ServerMain.parse(List.of("--kt-heartbeat", "20m")))
        .hasMessageContaining("max-behind must exceed the heartbeat");
  }

  @Test
  void setsRateLimitsByName() {
    ServerConfig c =
        ServerMain.parse(
            List.of(
                "--limit", "sends-per-pair-per-minute=5", "--limit=handle-lookups-per-minute=7"));
    assertThat(c.limits().sendsPerPairPerMinute()).isEqualTo(5);
    assertThat(c.limits().handleLookupsPerMinute()).isEqualTo(7);
    assertThat(c.limits().sendsPerSenderPerMinute())
        .isEqualTo(org.parley.server.http.RateLimits.defaults().sendsPerSenderPerMinute());
    assertThatThrownBy(() -> ServerMain.parse(List.of("--limit", "sends=5")))
        .hasMessageContaining("unknown limit sends")
        .hasMessageContaining("sends-per-pair-per-minute");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--limit", "sends-per-pair-per-minute=0")))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--limit", "sends-per-pair-per-minute")))
        .hasMessageContaining("NAME=N");
  }

  @Test
  void sqlitePathDefaultsIntoTheDataDir() {
    ServerConfig c = ServerMain.parse(List.of("--data-dir", "/tmp/d"));
    assertThat(c.effectiveStoreSettings())
        .containsEntry("path", Path.of("/tmp/d/parley.db").toString());
  }

  @Test
  void theMisbehaviourSwitchStillWorksButIsNotInTheHelp() {
    assertThat(ServerMain.parse(List.of("--kt-test-misbehaviour", "true")).kt().misbehaviour())
        .isTrue();
    assertThat(ServerMain.parse(List.of()).kt().misbehaviour()).isFalse();
    String help = new CommandLine(ServerMain.class).getUsageMessage();
    assertThat(help)
        .startsWith("Usage: parley-server")
        .contains("--kt-epoch", "--limit", "--config", "Examples:")
        .doesNotContain("misbehaviour");
  }

  @Test
  void refusesBadArguments() {
    assertThatThrownBy(() -> ServerMain.parse(List.of("--nope", "x")))
        .hasMessageContaining("Unknown option")
        .hasMessageContaining("'--nope'");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--port")))
        .hasMessageContaining("Missing required parameter for option '--port'");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--port", "x")))
        .hasMessageContaining("'x' is not an int");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--port", "70000")))
        .hasMessageContaining("0..65535");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--domain", "not a domain")))
        .hasMessageContaining("not a domain");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--store-setting", "novalue")))
        .hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--kt-epoch", "soon")))
        .hasMessageContaining("'soon' is not a duration such as 500ms");
    // clients clamp the epoch to 50 ms .. 60 s: a server outside that would look dishonest
    assertThatThrownBy(() -> ServerMain.parse(List.of("--kt-heartbeat", "5m", "--kt-epoch", "61s")))
        .hasMessageContaining("between 50 ms and 60 s");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--kt-epoch", "10ms")))
        .hasMessageContaining("between 50 ms and 60 s");
    // a valid DNS name, but its longest handles would not fit a key-transparency label
    String longDomain =
        "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(30);
    assertThatThrownBy(() -> ServerMain.parse(List.of("--domain", longDomain)))
        .hasMessageContaining("at most 208");
    String longest =
        "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(25);
    assertThat(ServerMain.parse(List.of("--domain", longest)).domain()).hasSize(208);
  }
}
