package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerMainTest {
  @Test
  void parsesEveryOption() {
    ServerConfig c = ServerMain.parse(List.of(
        "--data-dir", "/tmp/d", "--port=9000", "--host", "localhost", "--domain", "Example.ORG",
        "--store", "postgres", "--store-setting", "url=jdbc:postgresql://h/db", "--store-setting", "user=u",
        "--tls-cert", "c.pem", "--tls-key", "k.pem"));
    assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/d"));
    assertThat(c.port()).isEqualTo(9000);
    assertThat(c.host()).isEqualTo("localhost");
    assertThat(c.domain()).isEqualTo("example.org");
    assertThat(c.store()).isEqualTo("postgres");
    assertThat(c.storeSettings()).containsEntry("url", "jdbc:postgresql://h/db").containsEntry("user", "u");
    assertThat(c.effectiveStoreSettings()).doesNotContainKey("path");
    assertThat(c.tlsCertificate()).isEqualTo(Path.of("c.pem"));
    assertThat(c.tlsPrivateKey()).isEqualTo(Path.of("k.pem"));
  }

  @Test
  void setsRateLimitsByName() {
    ServerConfig c = ServerMain.parse(List.of(
        "--limit", "sends-per-pair-per-minute=5", "--limit=handle-lookups-per-minute=7"));
    assertThat(c.limits().sendsPerPairPerMinute()).isEqualTo(5);
    assertThat(c.limits().handleLookupsPerMinute()).isEqualTo(7);
    assertThat(c.limits().sendsPerSenderPerMinute())
        .isEqualTo(org.parley.server.http.RateLimits.defaults().sendsPerSenderPerMinute());
    assertThatThrownBy(() -> ServerMain.parse(List.of("--limit", "sends=5")))
        .hasMessageContaining("unknown limit sends").hasMessageContaining("sends-per-pair-per-minute");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--limit", "sends-per-pair-per-minute=0")))
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--limit", "sends-per-pair-per-minute")))
        .hasMessageContaining("NAME=N");
  }

  @Test
  void sqlitePathDefaultsIntoTheDataDir() {
    ServerConfig c = ServerMain.parse(List.of("--data-dir", "/tmp/d"));
    assertThat(c.effectiveStoreSettings()).containsEntry("path", Path.of("/tmp/d/parley.db").toString());
  }

  @Test
  void refusesBadArguments() {
    assertThatThrownBy(() -> ServerMain.parse(List.of("--nope", "x"))).hasMessage("unknown option --nope");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--port"))).hasMessage("--port needs a value");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--port", "70000"))).hasMessageContaining("0..65535");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--domain", "not a domain"))).hasMessageContaining("not a domain");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--store-setting", "novalue"))).hasMessageContaining("key=value");
    // clients clamp the epoch to 50 ms .. 60 s: a server outside that would look dishonest
    assertThatThrownBy(() -> ServerMain.parse(List.of("--kt-heartbeat", "5m", "--kt-epoch", "61s")))
        .hasMessageContaining("between 50 ms and 60 s");
    assertThatThrownBy(() -> ServerMain.parse(List.of("--kt-epoch", "10ms")))
        .hasMessageContaining("between 50 ms and 60 s");
    // a valid DNS name, but its longest handles would not fit a key-transparency label
    String longDomain = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(30);
    assertThatThrownBy(() -> ServerMain.parse(List.of("--domain", longDomain))).hasMessageContaining("at most 208");
    String longest = "a".repeat(60) + "." + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(25);
    assertThat(ServerMain.parse(List.of("--domain", longest)).domain()).hasSize(208);
  }
}
