package org.parley.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * CPU time of the PostgreSQL backend processes connected to the benchmark's database: a Parley
 * server on PostgreSQL does part of its work in them, so its CPU per message counts them with the
 * server's JVM. Only the server under test uses that database during a run (other work on the
 * machine uses other databases). Backends come and go with the server's pool; one that has gone
 * keeps the CPU time it had when last seen.
 */
final class PostgresBackendCpu implements AutoCloseable {
  private final Connection connection;
  private final Map<Integer, Long> lastSeen = new HashMap<>();

  PostgresBackendCpu(String url, String user, String password) throws SQLException {
    this.connection = DriverManager.getConnection(url, user, password);
  }

  /** The sum, over every backend seen so far, of its CPU time when last seen. */
  synchronized OptionalLong nanos() {
    try (Statement s = connection.createStatement();
        ResultSet pids =
            s.executeQuery(
                "SELECT pid FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
      while (pids.next()) {
        int pid = pids.getInt(1);
        ProcessCpu.nanos(pid).ifPresent(n -> lastSeen.put(pid, n));
      }
    } catch (SQLException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(lastSeen.values().stream().mapToLong(Long::longValue).sum());
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
