package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The server module holds no storage backend (issue 8 item 22): on its own class path, which is
 * this test's, the service loader finds none, and a server started there says what to add.
 */
class StoreProviderTest {
  @Test
  void theServerModuleHoldsNoBackend() {
    assertThat(ServiceLoader.load(StoreProvider.class).stream()).isEmpty();
  }

  @Test
  void withNoBackendTheErrorNamesTheModulesThatHoldThem() {
    assertThatThrownBy(() -> StoreProvider.named("sqlite"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown store 'sqlite': no storage backend is on the class path (add"
                + " parley-store-sqlite or parley-store-postgres)");
  }
}
