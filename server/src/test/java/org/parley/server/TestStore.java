package org.parley.server;

import java.util.UUID;

/**
 * Which store the API tests run on. They run from the server's test-jar in the store modules (the
 * server module holds no store): in store-sqlite on SQLite in the server's data directory (the
 * default); in store-postgres, with {@code -Dparley.test.store=postgres}, on a fresh PostgreSQL
 * schema per server, dropped afterwards.
 */
final class TestStore {
  static final String STORE = System.getProperty("parley.test.store", "sqlite");

  private TestStore() {}

  static ServerConfig configure(ServerConfig config) {
    if (!STORE.equals("postgres")) {
      return config;
    }
    String schema = "api_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    org.junit.jupiter.api.Assumptions.assumeTrue(
        TestPostgres.ENABLED, "PostgreSQL tests are off (-Dparley.test.postgres=false)");
    TestPostgres.ensureDatabase();
    ServerConfig postgres = config.withStore("postgres");
    for (var setting : TestPostgres.storeSettings(schema).entrySet()) {
      postgres = postgres.withStoreSetting(setting.getKey(), setting.getValue());
    }
    return postgres;
  }

  static void cleanUp(ServerConfig config) {
    if (!config.store().equals("postgres")) {
      return;
    }
    String schema = config.storeSettings().get("schema");
    if (schema == null || !schema.matches("api_it_[0-9a-f]+")) {
      return;
    }
    TestPostgres.dropSchema(schema);
  }
}
