package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void toStringHidesTheStoresSecrets() {
    ServerConfig c =
        ServerConfig.defaults()
            .withStore("postgres")
            .withStoreSettings(
                Map.of(
                    "url", "jdbc:postgresql://db/parley?user=u&Password=hunter1&ssl=true",
                    "user", "parley",
                    "password", "hunter2",
                    "apiKey", "hunter3",
                    "client-secret", "hunter4"));
    String shown = c.toString();
    assertThat(shown)
        .doesNotContain("hunter")
        .contains(
            "password=***",
            "apiKey=***",
            "client-secret=***",
            "user=parley",
            "url=jdbc:postgresql://db/parley?user=u&Password=***&ssl=true",
            "store=postgres",
            "port=8080");
    assertThat(c.storeSettings()).containsEntry("password", "hunter2"); // only hidden in print
  }

  @Test
  void secretsAreKnownByTheirNames() {
    assertThat(ServerConfig.isSecret("password")).isTrue();
    assertThat(ServerConfig.isSecret("sslKey")).isTrue();
    assertThat(ServerConfig.isSecret("SECRET")).isTrue();
    assertThat(ServerConfig.isSecret("url")).isFalse();
    assertThat(ServerConfig.isSecret("poolSize")).isFalse();
  }
}
