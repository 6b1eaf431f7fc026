package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientException;
import org.parley.client.ParleyClient;

/**
 * Issue 7, item 6: the log's configuration hash travels out of band in the server address ({@code
 * #kt=HASH}). A server that shows a new device another log than the one named (a private log from
 * its first day: here the second server, whose log has keys of its own) is refused before anything
 * is sent; the right hash is the control. Linking checks it the same way.
 */
class PrivateLogIT {
  @TempDir Path dir;

  @Test
  void aNewDeviceRefusesALogOtherThanTheOneItsAddressNames() throws Exception {
    try (ServerProcess real = ServerProcess.start(Backend.SQLITE, dir.resolve("real"));
        ServerProcess other = ServerProcess.start(Backend.SQLITE, dir.resolve("private"));
        People onReal = new People(real, dir.resolve("real-clients"));
        People onOther = new People(other, dir.resolve("private-clients"))) {
      ParleyClient alice = onReal.register("alice");
      onReal.register("bob");
      alice.send("bob@example.org", "hello"); // alice's first check pins the log
      String realHash = alice.logHash().orElseThrow();
      // the operator is told what to publish, and the address to give people
      assertThat(real.log())
          .contains("key-transparency log kt=" + realHash)
          .contains(real.uri() + "#kt=" + realHash);

      ParleyClient dave = onOther.open("dave");
      URI named = URI.create(other.uri() + "#kt=" + realHash);
      assertThatThrownBy(() -> dave.register(named, "dave@example.org", "phone"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("not the one its address names");
      assertThat(dave.identity()).isEmpty();
      // nothing reached the server: the handle is still free there
      onOther.open("dave-again").register(other.uri(), "dave@example.org", "phone");
      ParleyClient laptop = onOther.open("laptop");
      assertThatThrownBy(() -> laptop.startLink(named, "laptop"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("not the one its address names");

      // the control: the address that names this server's own log
      ParleyClient erin = onReal.open("erin");
      erin.register(URI.create(real.uri() + "#kt=" + realHash), "erin@example.org", "phone");
      assertThat(erin.logHash()).contains(realHash);
      assertThat(erin.send("alice@example.org", "hello").recipientDevices()).isEqualTo(1);
      assertThatThrownBy(
              () ->
                  onReal
                      .open("fred")
                      .register(
                          URI.create(real.uri() + "#kt=not-a-hash"), "fred@example.org", "phone"))
          .isInstanceOf(ClientException.class)
          .hasMessageContaining("not a key-transparency");
    }
  }
}
