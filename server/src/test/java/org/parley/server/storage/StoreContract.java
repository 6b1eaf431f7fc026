package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.KeyCounts;
import org.parley.server.account.Account;
import org.parley.server.link.PendingLink;
import org.parley.server.message.StoredEnvelope;

/** What holds for a {@link Store} as a whole: it is found by name and its data is durable. */
public abstract class StoreContract extends StoreContractBase {
  /** The name the backend's provider registers under. */
  protected abstract String providerName();

  @Test
  void theProviderIsFoundByNameThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(StoreProvider.class).stream().map(p -> p.get().name()))
        .contains(providerName());
  }

  @Test
  void everythingCommittedSurvivesCloseAndReopen() {
    Account sender = register(1);
    Account recipient = register(2);
    DeviceId laptop = link(recipient, 3);
    StoredEnvelope sent = sendToAll(sender, recipient, "kept").envelopes().get(0);
    PendingLink waiting =
        StoreFixture.pendingLink(StoreFixture.newDevice("tablet", 4), Long.MAX_VALUE);
    store.links().create(waiting);
    store.preKeys().takeBundle(recipient.id(), DeviceId.of(1));

    store.close();
    store = open();

    assertThat(store.accounts().byHandle(recipient.handle())).contains(recipient);
    assertThat(store.devices().devices(recipient.id())).hasSize(2);
    assertThat(store.devices().device(recipient.id(), laptop)).isPresent();
    assertThat(store.messages().pending(recipient.id(), DeviceId.of(1), 0, 10))
        .singleElement()
        .usingRecursiveComparison()
        .isEqualTo(sent);
    assertThat(store.preKeys().counts(recipient.id(), DeviceId.of(1)))
        .isEqualTo(new KeyCounts(2, 2));
    assertThat(store.links().get(waiting.code()))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(waiting);
  }
}
