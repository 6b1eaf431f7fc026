package org.parley.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.storage.AccountStoreContract;
import org.parley.server.storage.DeviceStoreContract;
import org.parley.server.storage.KtStoreContract;
import org.parley.server.storage.LinkStoreContract;
import org.parley.server.storage.MessageQueueContract;
import org.parley.server.storage.PreKeyStoreContract;
import org.parley.server.storage.SharedPartContract;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreContract;

/** The storage contracts against the embedded SQLite store, on a database file in a temp dir. */
class SqliteStoreIT {
  @TempDir static Path dir;

  static Store openSqlite() {
    // a nested directory: the provider creates missing parents
    return new SqliteStoreProvider().open(Map.of("path", dir.resolve("data/parley.db").toString()));
  }

  @Nested
  class Stores extends StoreContract {
    @Override
    protected Store open() {
      return openSqlite();
    }

    @Override
    protected String providerName() {
      return "sqlite";
    }
  }

  @Nested
  class Accounts extends AccountStoreContract {
    @Override
    protected Store open() {
      return openSqlite();
    }
  }

  @Nested
  class Devices extends DeviceStoreContract {
    @Override
    protected Store open() {
      return openSqlite();
    }
  }

  @Nested
  class PreKeys extends PreKeyStoreContract {
    @Override
    protected Store open() {
      return openSqlite();
    }
  }

  @Nested
  class Messages extends MessageQueueContract {
    @Override
    protected Store open() {
      return openSqlite();
    }
  }

  @Nested
  class Links extends LinkStoreContract {
    @Override
    protected Store open() {
      return openSqlite();
    }
  }

  @Nested
  class Kt extends KtStoreContract {
    @Override
    protected Store open() {
      return openSqlite();
    }
  }

  @Nested
  class SharedParts extends SharedPartContract {
    @Override
    protected Store open() {
      return openSqlite();
    }

    @Override
    protected Optional<Integer> storedRefs(String id) {
      // a connection of the test's own: it reads what the store's writer committed (WAL)
      try (Connection c =
              DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("data/parley.db"));
          PreparedStatement s = c.prepareStatement("SELECT refs FROM shared_parts WHERE id = ?")) {
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
