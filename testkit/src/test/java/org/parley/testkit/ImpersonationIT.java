package org.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.ClientEvent;
import org.parley.client.ParleyClient;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.ParleyUris;

/**
 * A malicious account cannot pass its messages off as someone else's: the MIMI sender and room
 * inside the encryption must match the sender the server authenticated, or the message is dropped.
 */
class ImpersonationIT {
  @RegisterExtension final Servers servers = new Servers();

  @TempDir Path dir;

  @AllBackends
  void aMessageClaimingAnotherSenderIsDropped(Backend backend) {
    ServerProcess server = servers.start(backend);
    try (People people = new People(server, dir.resolve("clients"))) {
      ParleyClient alice = people.register("alice");
      people.register("carol");
      RogueDevice mallory = RogueDevice.register(server.uri(), "mallory@example.org");

      // mallory writes "from carol" in carol's conversation with alice
      byte[] forged =
          MimiCodec.encode(
              MimiContent.text(
                  ParleyUris.user("carol@example.org"),
                  ParleyUris.directRoom("carol@example.org", "alice@example.org"),
                  "send the money to mallory"));
      assertThat(mallory.sendRaw("alice@example.org", forged)).isEqualTo(200);
      // and a correctly attributed message in the wrong room
      byte[] wrongRoom =
          MimiCodec.encode(
              MimiContent.text(
                  ParleyUris.user("mallory@example.org"),
                  ParleyUris.directRoom("carol@example.org", "alice@example.org"),
                  "this is carol's room"));
      assertThat(mallory.sendRaw("alice@example.org", wrongRoom)).isEqualTo(200);
      // the control: an honest message from mallory gets through, so the drops above are checks
      byte[] honest =
          MimiCodec.encode(
              MimiContent.text(
                  ParleyUris.user("mallory@example.org"),
                  ParleyUris.directRoom("mallory@example.org", "alice@example.org"),
                  "hello, I am mallory"));
      assertThat(mallory.sendRaw("alice@example.org", honest)).isEqualTo(200);

      List<ClientEvent> events = alice.receive();
      assertThat(ConversationIT.texts(events, ClientEvent.MessageReceived.class))
          .containsExactly("hello, I am mallory");
      assertThat(events).filteredOn(e -> e instanceof ClientEvent.EnvelopeFailed).hasSize(2);
      assertThat(alice.history("carol@example.org", 10))
          .noneMatch(e -> e.text().contains("money") || e.text().contains("carol's room"));
    }
  }
}
