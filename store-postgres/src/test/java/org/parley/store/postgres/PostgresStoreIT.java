package org.parley.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
import org.parley.server.storage.SharedPartContract;
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

  @Nested
  class SharedParts extends SharedPartContract {
    @Override
    protected Store open() {
      return openPostgres();
    }

    @Override
    protected Optional<Integer> storedRefs(String id) {
      try (Connection c = TestPostgres.connect();
          PreparedStatement s =
              c.prepareStatement(
                  "SELECT refs FROM " + POSTGRES.name() + ".shared_parts WHERE id = ?")) {
        s.setString(1, id);
        try (ResultSet r = s.executeQuery()) {
          return r.next() ? Optional.of(r.getInt(1)) : Optional.empty();
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
