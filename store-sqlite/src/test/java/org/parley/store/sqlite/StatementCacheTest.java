package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementCacheTest {
  @TempDir Path dir;
  private Connection real;
  private StatementCache cache;

  @BeforeEach
  void open() throws SQLException {
    real = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"));
    try (Statement s = real.createStatement()) {
      s.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)");
    }
    cache = new StatementCache(real);
  }

  @AfterEach
  void close() throws SQLException {
    cache.close();
    real.close();
  }

  @Test
  void aReusedStatementStartsWithoutTheLastJobsParametersOrBatch() throws SQLException {
    Connection c = cache.connection();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      s.setInt(1, 1);
      s.setString(2, "one");
      s.addBatch();
      s.executeBatch();
      s.setInt(1, 2);
      s.setString(2, "left in the batch");
      s.addBatch(); // never executed: closing must drop it
    }
    cache.jobDone();
    try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      s.setInt(1, 3);
      s.setString(2, "three");
      s.addBatch();
      assertThat(s.executeBatch()).containsExactly(1);
    }
    assertThat(values(c)).isEqualTo("1=one,3=three");
  }

  @Test
  void theSameSqlTwiceAtOnceGetsTwoStatements() throws SQLException {
    Connection c = cache.connection();
    try (Statement s = real.createStatement()) {
      s.execute("INSERT INTO t VALUES (1, 'a'), (2, 'b')");
    }
    StringBuilder pairs = new StringBuilder();
    try (PreparedStatement outer = c.prepareStatement("SELECT k FROM t ORDER BY k");
        ResultSet r = outer.executeQuery()) {
      while (r.next()) {
        try (PreparedStatement inner = c.prepareStatement("SELECT k FROM t ORDER BY k");
            ResultSet q = inner.executeQuery()) {
          while (q.next()) {
            pairs.append(r.getInt(1)).append(q.getInt(1)).append(' ');
          }
        }
      }
    }
    assertThat(pairs.toString()).isEqualTo("11 12 21 22 ");
  }

  @Test
  void aJobCannotUseAStatementAfterClosingIt() throws SQLException {
    PreparedStatement s = cache.connection().prepareStatement("SELECT 1");
    s.close();
    assertThat(s.isClosed()).isTrue();
    assertThatThrownBy(s::executeQuery).isInstanceOf(SQLException.class);
  }

  @Test
  void aStatementThatFailedIsCompiledAfreshAndWorksAgain() throws SQLException {
    Connection c = cache.connection();
    insert(c, 1, "one");
    assertThatThrownBy(() -> insert(c, 1, "again")).isInstanceOf(SQLException.class);
    cache.jobDone();
    insert(c, 2, "two");
    cache.execute("BEGIN IMMEDIATE");
    assertThatThrownBy(() -> cache.execute("BEGIN IMMEDIATE")).isInstanceOf(SQLException.class);
    cache.execute("COMMIT");
    cache.execute("BEGIN IMMEDIATE");
    cache.execute("COMMIT");
    assertThat(values(c)).isEqualTo("1=one,2=two");
  }

  private static void insert(Connection c, int k, String v) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
      s.setInt(1, k);
      s.setString(2, v);
      s.executeUpdate();
    }
  }

  private static String values(Connection c) throws SQLException {
    StringBuilder out = new StringBuilder();
    try (PreparedStatement s = c.prepareStatement("SELECT k, v FROM t ORDER BY k");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        out.append(out.isEmpty() ? "" : ",").append(r.getInt(1)).append('=').append(r.getString(2));
      }
    }
    return out.toString();
  }
}
