package org.parley.store.postgres;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.server.PostgresSchema;
import org.parley.server.TestPostgres;
import org.parley.server.storage.AccountStoreContract;
import org.parley.server.storage.DeviceStoreContract;
import org.parley.server.storage.KtStoreContract;
import org.parley.server.storage.LinkStoreContract;
import org.parley.server.storage.MessageQueueContract;
import org.parley.server.storage.PreKeyStoreContract;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreContract;

/**
 * The storage contracts against a real PostgreSQL ({@link TestPostgres}: 127.0.0.1:5432 or the
 * database its properties name), in a fresh schema of its own that is dropped afterwards, so
 * parallel runs and reruns never meet. -Dparley.test.postgres=false skips it.
 */
class PostgresStoreIT {
  @RegisterExtension static final PostgresSchema POSTGRES = new PostgresSchema();

  static Store openPostgres() {
    Map<String, String> settings = new HashMap<>(POSTGRES.storeSettings());
    settings.put("poolSize", "6");
    return new PostgresStoreProvider().open(settings);
  }

  @Nested
  class Stores extends StoreContract {
    @Override
    protected Store open() {
      return openPostgres();
    }

    @Override
    protected String providerName() {
      return "postgres";
    }
  }

  @Nested
  class Accounts extends AccountStoreContract {
    @Override
    protected Store open() {
      return openPostgres();
    }
  }

  @Nested
  class Devices extends DeviceStoreContract {
    @Override
    protected Store open() {
      return openPostgres();
    }
  }

  @Nested
  class PreKeys extends PreKeyStoreContract {
    @Override
    protected Store open() {
      return openPostgres();
    }
  }

  @Nested
  class Messages extends MessageQueueContract {
    @Override
    protected Store open() {
      return openPostgres();
    }
  }

  @Nested
  class Links extends LinkStoreContract {
    @Override
    protected Store open() {
      return openPostgres();
    }
  }

  @Nested
  class Kt extends KtStoreContract {
    @Override
    protected Store open() {
      return openPostgres();
    }
  }
}
