package org.parley.store.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.parley.server.storage.AccountStoreContract;
import org.parley.server.storage.DeviceStoreContract;
import org.parley.server.storage.KtStoreContract;
import org.parley.server.storage.LinkStoreContract;
import org.parley.server.storage.MessageQueueContract;
import org.parley.server.storage.PreKeyStoreContract;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreContract;

/**
 * The storage contracts against a real PostgreSQL (127.0.0.1:5432, user postgres, or
 * -Dparley.test.postgres.url / .user / .password), each run in a fresh schema of its own that is
 * dropped afterwards, so parallel runs and reruns never meet. -Dparley.test.postgres=false skips
 * it.
 */
class PostgresStoreIT {
  private static final String URL =
      System.getProperty("parley.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
  private static final String USER = System.getProperty("parley.test.postgres.user", "postgres");
  private static final String PASSWORD = System.getProperty("parley.test.postgres.password", "");
  private static final String SCHEMA =
      "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);

  private static final boolean ENABLED =
      !"false".equals(System.getProperty("parley.test.postgres"));

  @BeforeAll
  static void needsPostgres() {
    Assumptions.assumeTrue(ENABLED, "PostgreSQL tests are off");
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (!ENABLED) {
      return;
    }
    try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  static Store openPostgres() {
    Map<String, String> settings = new HashMap<>();
    settings.put("url", URL);
    settings.put("user", USER);
    settings.put("password", PASSWORD);
    settings.put("schema", SCHEMA);
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
