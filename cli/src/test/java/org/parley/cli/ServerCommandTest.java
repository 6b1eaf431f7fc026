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
}
