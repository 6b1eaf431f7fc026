package org.parley.server;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh schema of the test database ({@link TestPostgres}), for a test class or for each test:
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresSchema postgres = new PostgresSchema(); // per class
 * @RegisterExtension final PostgresSchema postgres = new PostgresSchema();        // per test
 * }</pre>
 *
 * The schema is named on first use and dropped when its class (static field) or test (instance
 * field) ends, so parallel runs and reruns never meet. With {@code -Dparley.test.postgres=false}
 * the tests that register it are skipped, not failed.
 */
public final class PostgresSchema
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private boolean perClass;
  private String name;

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    Assumptions.assumeTrue(
        TestPostgres.ENABLED, "PostgreSQL tests are off (-Dparley.test.postgres=false)");
    TestPostgres.ensureDatabase();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Assumptions.assumeTrue(
        TestPostgres.ENABLED, "PostgreSQL tests are off (-Dparley.test.postgres=false)");
    TestPostgres.ensureDatabase();
  }

  /** The schema's name, {@code parley_test_<random>}. */
  public synchronized String name() {
    if (name == null) {
      name = "parley_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
    return name;
  }

  /** The store settings (url, user, password, schema) of a store on this schema. */
  public Map<String, String> storeSettings() {
    return TestPostgres.storeSettings(name());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      drop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    drop();
  }

  private synchronized void drop() {
    if (name != null) {
      TestPostgres.dropSchema(name);
      name = null;
    }
  }
}
