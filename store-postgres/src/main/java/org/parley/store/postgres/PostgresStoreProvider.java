package org.parley.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreProvider;
import org.parley.store.jdbc.Dialect;
import org.parley.store.jdbc.Durability;
import org.parley.store.jdbc.JdbcStore;
import org.parley.store.jdbc.StorageException;

/**
 * The scale-out store, {@code store: postgres}: settings {@code url} (default
 * jdbc:postgresql://127.0.0.1:5432/parley), {@code user} (default postgres), {@code password} (the
 * commands take it from PARLEY_STORE_PASSWORD or a password file, never their command line:
 * docs/operations.md), {@code schema} (default public; created if missing) and {@code poolSize}
 * (default 10).
 */
public final class PostgresStoreProvider implements StoreProvider {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String DISK_FULL = "53100";
  private static final Dialect DIALECT =
      new Dialect(
          true,
          true,
          e -> UNIQUE_VIOLATION.equals(e.getSQLState()),
          e -> DISK_FULL.equals(e.getSQLState()));

  @Override
  public String name() {
    return "postgres";
  }

  /** The connection pool configuration for these settings (package-private for the tests). */
  static HikariConfig poolConfig(Map<String, String> settings) {
    String schema = settings.getOrDefault("schema", "public");
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "the postgres schema must be a lowercase SQL identifier: " + schema);
    }
    boolean powerLoss = Durability.powerLoss(settings, "postgres");
    String url = settings.getOrDefault("url", "jdbc:postgresql://127.0.0.1:5432/parley");
    String user = settings.getOrDefault("user", "postgres");
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(settings.get("password"));
    // The search_path as a startup parameter of each connection, not Connection.setSchema: that
    // runs a SET inside the connection's first transaction, undone if that transaction rolls back.
    config.addDataSourceProperty("currentSchema", schema);
    config.setAutoCommit(false);
    config.setMaximumPoolSize(Integer.parseInt(settings.getOrDefault("poolSize", "10")));
    config.setPoolName("postgres:" + schema);
    // one INSERT with many rows per batch: an enqueue of n envelopes is one round trip
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    // Durability (docs/operations.md): durability=process has the same meaning on both stores,
    // what a commit survives is the Parley server being killed. PostgreSQL holds a commit in its
    // own memory when COMMIT returns with synchronous_commit=off, and its WAL writer flushes it
    // within three wal_writer_delay (0.6 s by default): a killed Parley server loses nothing, a
    // crash of PostgreSQL itself or of the machine can lose the last fraction of a second (never
    // corrupt anything). Waiting for the WAL flush at every group commit took a quarter of the
    // sends' throughput (P=10: 24,408 msg/s against 31,439). durability=power-loss keeps
    // PostgreSQL's default, synchronous_commit=on: every commit flushed before the answer.
    if (!powerLoss) {
      config.addDataSourceProperty("options", "-c synchronous_commit=off");
    }
    return config;
  }

  @Override
  public Store open(Map<String, String> settings) {
    HikariConfig config = poolConfig(settings);
    String schema = config.getDataSourceProperties().getProperty("currentSchema");
    String url = config.getJdbcUrl();
    String user = config.getUsername();
    HikariDataSource pool = new HikariDataSource(config);
    QueueVacuum vacuum;
    try {
      Flyway.configure()
          .dataSource(pool)
          .schemas(schema)
          .defaultSchema(schema)
          .createSchemas(true)
          .locations("classpath:db/migration/postgres")
          .failOnMissingLocations(true)
          .load()
          .migrate();
      try (Connection probe = pool.getConnection()) {
        vacuum = QueueVacuum.startIfNeeded(probe, url, user, settings.get("password"), schema);
        probe.commit();
      }
    } catch (SQLException e) {
      pool.close();
      throw new StorageException("PostgreSQL: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
    // several servers may share the schema: the lease says which one publishes the log
    return new JdbcStore(
        new PostgresTransactions(pool, vacuum),
        DIALECT,
        new PostgresPublisherLease(url, user, settings.get("password"), schema));
  }
}
