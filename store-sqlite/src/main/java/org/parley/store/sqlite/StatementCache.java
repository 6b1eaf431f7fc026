package org.parley.store.sqlite;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Prepared statements kept for the writer's connection. SQLite's JDBC driver compiles the SQL again
 * on every {@code prepareStatement}, and the writer runs the same dozen statements thousands of
 * times a second (compiling them was about a twentieth of the server's CPU at P=10). The writer's
 * jobs see a connection whose {@code prepareStatement(String)} hands out the statement compiled the
 * first time, reset instead of closed when the job closes it; everything else goes to the real
 * connection. One thread uses it (the writer), so it needs no locking.
 */
final class StatementCache implements AutoCloseable {
  private final Connection connection;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final java.util.Set<String> inUse = new java.util.HashSet<>();
  private final Connection view;

  StatementCache(Connection connection) {
    this.connection = connection;
    this.view =
        (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                new ConnectionView());
  }

  /** The connection the writer's jobs use. */
  Connection connection() {
    return view;
  }

  /** The statement for {@code sql}, compiled once; the caller must not close it. */
  PreparedStatement prepared(String sql) throws SQLException {
    PreparedStatement statement = statements.get(sql);
    if (statement == null || statement.isClosed()) {
      statement = connection.prepareStatement(sql);
      statements.put(sql, statement);
    }
    return statement;
  }

  /**
   * Runs {@code sql} (a statement without parameters or results: BEGIN, SAVEPOINT, COMMIT, ...)
   * from the cache.
   */
  void execute(String sql) throws SQLException {
    PreparedStatement statement = prepared(sql);
    try {
      statement.execute();
    } catch (SQLException e) {
      evict(sql, statement);
      throw e;
    }
  }

  /**
   * Forgets a statement that failed: the driver may leave it unusable after an error (a full disk
   * during COMMIT left "statement is not executing" for every later COMMIT), so it is compiled
   * afresh on its next use.
   */
  private void evict(String sql, PreparedStatement statement) {
    statements.remove(sql, statement);
    try {
      statement.close();
    } catch (SQLException ignored) {
      // unusable either way
    }
  }

  /** A job ended: a statement it left open is handed out again (the next use resets it). */
  void jobDone() {
    inUse.clear();
  }

  @Override
  public void close() {
    for (PreparedStatement statement : statements.values()) {
      try {
        statement.close();
      } catch (SQLException e) {
        // closing the connection finalizes whatever is left
      }
    }
    statements.clear();
  }

  private final class ConnectionView implements InvocationHandler {
    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("prepareStatement")
          && args != null
          && args.length == 1
          && args[0] instanceof String sql) {
        if (!inUse.add(sql)) {
          return connection.prepareStatement(sql); // nested use of the same SQL: its own, uncached
        }
        return Proxy.newProxyInstance(
            PreparedStatement.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            new Reusable(sql, prepared(sql)));
      }
      return forward(connection, method, args);
    }
  }

  /** A cached statement as a job sees it: closing it resets it for the next job. */
  private final class Reusable implements InvocationHandler {
    private final String sql;
    private final PreparedStatement statement;
    private boolean closed;

    Reusable(String sql, PreparedStatement statement) {
      this.sql = sql;
      this.statement = statement;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (closed && !method.getName().equals("close") && !method.getName().equals("isClosed")) {
        throw new SQLException("the statement is closed");
      }
      switch (method.getName()) {
        case "close" -> {
          if (!closed) {
            closed = true;
            inUse.remove(sql);
            if (!statement.isClosed()) { // evicted after a failure: nothing to reset
              statement.clearBatch();
              statement.clearParameters();
            }
          }
          return null;
        }
        case "isClosed" -> {
          return closed;
        }
        case "getConnection" -> throw new SQLException("not available on a cached statement");
        default -> {
          try {
            return forward(statement, method, args);
          } catch (SQLException e) {
            evict(sql, statement);
            throw e;
          }
        }
      }
    }
  }

  private static Object forward(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
