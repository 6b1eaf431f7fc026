package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A server address as a person is given it, with the log's hash (docs/spec/keytrans.md). */
class ServerAddressTest {
  private static final String HASH = "70xQ0fek8-iM5uEaJzYH6To67tMX8gRdQDNxiEETzqM";

  @Test
  void theHashIsTakenOutOfTheAddress() {
    ServerAddress a = ServerAddress.parse(URI.create("https://chat.example.org/#kt=" + HASH));
    assertThat(a.base()).isEqualTo(URI.create("https://chat.example.org/"));
    assertThat(a.logHash()).contains(HASH);
    ServerAddress escaped =
        ServerAddress.parse(URI.create("http://127.0.0.1:8080/a%20b#kt=" + HASH));
    assertThat(escaped.base().toString()).isEqualTo("http://127.0.0.1:8080/a%20b");
    assertThat(ServerAddress.parse(URI.create("http://127.0.0.1:8080")))
        .isEqualTo(new ServerAddress(URI.create("http://127.0.0.1:8080"), Optional.empty()));
    assertThat(ServerAddress.withLogHash(URI.create("http://127.0.0.1:8080"), HASH))
        .isEqualTo("http://127.0.0.1:8080#kt=" + HASH);
  }

  @Test
  void anyOtherFragmentIsRefused() {
    for (String fragment : new String[] {"kt=short", "top", "kt=" + HASH + "x", "KT=" + HASH}) {
      assertThatThrownBy(() -> ServerAddress.parse(URI.create("http://h#" + fragment)))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("not a key-transparency");
    }
  }
}
