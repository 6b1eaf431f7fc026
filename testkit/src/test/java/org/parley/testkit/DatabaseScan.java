package org.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Searches everything a server has stored for a byte string: every column of every row of every
 * table, and for SQLite also the raw database and WAL files (which include freed pages).
 */
final class DatabaseScan {
  private DatabaseScan() {}

  /** Where the text was found: "table.column" or a file name; empty if nowhere. */
  static List<String> find(ServerProcess server, String text) {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<String> hits = new ArrayList<>();
    try {
      if (server.backend() == Backend.SQLITE) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.sqliteFile())) {
          List<String> tables = tables(c, "SELECT name FROM sqlite_master WHERE type = 'table'");
          scanTables(c, tables, needle, hits);
        }
        try (Stream<Path> files = Files.list(server.dataDir())) {
          for (Path file :
              files.filter(f -> f.getFileName().toString().startsWith("parley.db")).toList()) {
            if (indexOf(Files.readAllBytes(file), needle) >= 0) {
              hits.add(file.getFileName().toString());
            }
          }
        }
      } else {
        try (Connection c = Postgres.connect()) {
          List<String> tables =
              tables(
                  c,
                  "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                      + server.schema()
                      + "' AND table_type = 'BASE TABLE'");
          try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + server.schema());
          }
          scanTables(c, tables, needle, hits);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hits;
  }

  /**
   * Every stored value (of every column of every table) that contains any of {@code needles}, as
   * {@code table.column=hex}, sorted: what names someone, to compare before and after.
   */
  static List<String> valuesContaining(ServerProcess server, List<byte[]> needles) {
    List<String> found = new ArrayList<>();
    try (Connection c = connect(server)) {
      for (String table : tableNames(server)) {
        try (Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
          ResultSetMetaData meta = rs.getMetaData();
          while (rs.next()) {
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              byte[] value = bytesOf(rs.getObject(i));
              if (value != null && needles.stream().anyMatch(n -> indexOf(value, n) >= 0)) {
                found.add(
                    table
                        + "."
                        + meta.getColumnName(i).toLowerCase(java.util.Locale.ROOT)
                        + "="
                        + java.util.HexFormat.of().formatHex(value));
              }
            }
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    java.util.Collections.sort(found);
    return found;
  }

  /** The tables the scan covers, to show it looked at the real schema. */
  static List<String> tableNames(ServerProcess server) {
    try (Connection c =
        server.backend() == Backend.SQLITE
            ? DriverManager.getConnection("jdbc:sqlite:" + server.sqliteFile())
            : Postgres.connect()) {
      return server.backend() == Backend.SQLITE
          ? tables(c, "SELECT name FROM sqlite_master WHERE type = 'table'")
          : tables(
              c,
              "SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                  + server.schema()
                  + "'");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The ids of the envelopes queued for an account's devices, read from the server's database. */
  static List<String> envelopeIds(ServerProcess server, String accountId) {
    return envelopes(server, accountId, "e.id");
  }

  /**
   * The files of the data directory (the database, its WAL and shared memory, the keys) that
   * contain {@code needle} anywhere in their raw bytes, freed pages included: read without opening
   * the database, so the scan changes nothing. The test harness's own server.log is skipped.
   */
  static List<String> rawFiles(ServerProcess server, byte[] needle) {
    List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(server.dataDir())) {
      for (Path file :
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.getFileName().toString().equals("server.log"))
              .toList()) {
        if (indexOf(Files.readAllBytes(file), needle) >= 0) {
          hits.add(server.dataDir().relativize(file).toString());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return hits;
  }

  /**
   * The ciphertexts queued for {@code accountId}, in queue order, each whole: the row's own bytes
   * and the shared part of a group upload it ends with.
   */
  static List<byte[]> envelopeContents(ServerProcess server, String accountId) {
    return envelopes(
            server,
            accountId,
            server.backend() == Backend.SQLITE
                ? "hex(e.content) || coalesce(hex(p.content), '')"
                : "encode(e.content, 'hex') || coalesce(encode(p.content, 'hex'), '')")
        .stream()
        .map(hex -> java.util.HexFormat.of().parseHex(hex.toLowerCase(java.util.Locale.ROOT)))
        .toList();
  }

  /** The sender of each envelope queued for {@code accountId}, in queue order. */
  static List<String> envelopeSenders(ServerProcess server, String accountId) {
    return envelopes(server, accountId, "e.source_account_id");
  }

  /**
   * Deletes everything queued for {@code accountId} behind the server's back: a server withholding
   * what it was given (for a device that is not connected, which reads its queue from the store).
   *
   * @return how many envelopes it deleted
   */
  static int withholdQueued(ServerProcess server, String accountId) {
    try (Connection c = connect(server)) {
      if (server.backend() == Backend.SQLITE) {
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA busy_timeout = 10000"); // the server writes the same file meanwhile
        }
      }
      try (var s = c.prepareStatement("DELETE FROM envelopes WHERE account_id = ?")) {
        s.setString(1, accountId);
        return s.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The envelope types queued for {@code accountId} (wire names), in queue order. */
  static List<String> envelopeTypes(ServerProcess server, String accountId) {
    return envelopes(server, accountId, "e.type");
  }

  /** The lengths of the ciphertexts queued for {@code accountId}, in queue order. */
  static List<Integer> envelopeLengths(ServerProcess server, String accountId) {
    return envelopes(server, accountId, "length(e.content) + coalesce(length(p.content), 0)")
        .stream()
        .map(Integer::valueOf)
        .toList();
  }

  private static List<String> envelopes(ServerProcess server, String accountId, String column) {
    try (Connection c = connect(server)) {
      try (var s =
          c.prepareStatement(
              "SELECT "
                  + column
                  + " FROM envelopes e LEFT JOIN shared_parts p ON p.id = e.shared_part"
                  + " WHERE e.account_id = ? ORDER BY e.seq")) {
        s.setString(1, accountId);
        try (ResultSet rs = s.executeQuery()) {
          List<String> ids = new ArrayList<>();
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
          return ids;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The server's database, as the server sees it (its schema, on PostgreSQL). */
  private static Connection connect(ServerProcess server) throws SQLException {
    if (server.backend() == Backend.SQLITE) {
      return DriverManager.getConnection("jdbc:sqlite:" + server.sqliteFile());
    }
    Connection c = Postgres.connect();
    try (Statement s = c.createStatement()) {
      s.execute("SET search_path TO " + server.schema());
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private static List<String> tables(Connection c, String query) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static void scanTables(
      Connection c, List<String> tables, byte[] needle, List<String> hits) throws SQLException {
    for (String table : tables) {
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM \"" + table + "\"")) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            byte[] value = bytesOf(rs.getObject(i));
            if (value != null && indexOf(value, needle) >= 0) {
              hits.add(table + "." + meta.getColumnName(i));
            }
          }
        }
      }
    }
  }

  private static byte[] bytesOf(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof byte[] bytes) {
      return bytes;
    }
    return value.toString().getBytes(StandardCharsets.UTF_8);
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
