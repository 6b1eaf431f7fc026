package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerCommandTest {
  private static ServerCommand parse(String... args) {
    ServerCommand command = new ServerCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void plainHttpDefaultsTo8080OnLoopback() {
    var config = parse().config();
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.store()).isEqualTo("sqlite");
  }

  @Test
  void tlsDefaultsToTheStandardHttpsPort() {
    assertThat(parse("--tls-cert", "cert.pem", "--tls-key", "key.pem").config().port()).isEqualTo(443);
  }

  @Test
  void anExplicitPortWins() {
    assertThat(parse("--tls-cert", "c.pem", "--tls-key", "k.pem", "--port", "8443").config().port()).isEqualTo(8443);
    assertThat(parse("--port", "9090", "--data-dir", "/tmp/x").config().dataDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void limitsAreSetByNameAsInServerMain() {
    var config = parse("--limit", "sends-per-pair-per-minute=5", "--limit", "handle-lookups-per-minute=7").config();
    assertThat(config.limits().sendsPerPairPerMinute()).isEqualTo(5);
    assertThat(config.limits().handleLookupsPerMinute()).isEqualTo(7);
    assertThat(parse().config().limits()).isEqualTo(org.parley.server.http.RateLimits.defaults());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> parse("--limit", "nosuch=1").config())
        .hasMessageContaining("unknown limit nosuch");
  }
}
