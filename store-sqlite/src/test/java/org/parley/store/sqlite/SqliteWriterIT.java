package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.store.jdbc.StorageException;
import org.sqlite.SQLiteDataSource;

/** Group commit: writes that wait together commit together, and one failing write fails alone. */
class SqliteWriterIT {
  @TempDir Path dir;
  private SqliteWriter writer;
  private ExecutorService callers;

  @BeforeEach
  void open() throws SQLException {
    SQLiteDataSource source = new SQLiteDataSource();
    source.setUrl("jdbc:sqlite:" + dir.resolve("w.db"));
    writer = new SqliteWriter(source, "test-writer");
    writer.write(c -> c.createStatement().executeUpdate("CREATE TABLE t (v INTEGER UNIQUE)"));
    callers = Executors.newFixedThreadPool(6);
  }

  @AfterEach
  void close() {
    callers.shutdownNow();
    writer.close();
  }

  private static int insert(java.sql.Connection c, int v) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("INSERT INTO t (v) VALUES (?)")) {
      s.setInt(1, v);
      return s.executeUpdate();
    }
  }

  private List<Integer> values() {
    return writer.write(
        c -> {
          List<Integer> values = new ArrayList<>();
          try (ResultSet r = c.createStatement().executeQuery("SELECT v FROM t ORDER BY v")) {
            while (r.next()) {
              values.add(r.getInt(1));
            }
          }
          return values;
        });
  }

  @Test
  void aFailingWriteInAGroupIsRolledBackAloneAndTheOthersCommit() throws Exception {
    CountDownLatch blocking = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    // occupy the writer so that the next writes queue up and run as one group
    Future<Integer> first =
        callers.submit(
            () ->
                writer.write(
                    c -> {
                      blocking.countDown();
                      await(release);
                      return insert(c, 1);
                    }));
    assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
    Future<Integer> second = callers.submit(() -> writer.write(c -> insert(c, 2)));
    Future<Integer> failing =
        callers.submit(
            () ->
                writer.write(
                    c -> {
                      insert(c, 3);
                      throw new IllegalStateException("this write fails after writing");
                    }));
    // 1 is committed by the first write, in its own transaction, before this group runs
    Future<Integer> duplicate = callers.submit(() -> writer.write(c -> insert(c, 1)));
    Future<Integer> fourth = callers.submit(() -> writer.write(c -> insert(c, 4)));
    Thread.sleep(200); // let them queue behind the first
    release.countDown();

    assertThat(first.get()).isEqualTo(1);
    assertThat(second.get()).isEqualTo(1);
    assertThat(fourth.get()).isEqualTo(1);
    assertThatThrownBy(failing::get).hasCauseInstanceOf(IllegalStateException.class);
    assertThatThrownBy(duplicate::get).hasCauseInstanceOf(StorageException.class);
    assertThat(values()).containsExactly(1, 2, 4);
  }

  @Test
  void aFailingWriteAloneInItsTransactionLeavesNothingAndTheNextWriteCommits() {
    assertThatThrownBy(
            () ->
                writer.write(
                    c -> {
                      insert(c, 7);
                      throw new IllegalStateException("this write fails after writing");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> writer.write(c -> insert(c, 7) + insert(c, 7)))
        .isInstanceOf(StorageException.class); // the second insert of 7 breaks the unique rule
    int inserted = writer.write(c -> insert(c, 8));
    assertThat(inserted).isEqualTo(1);
    assertThat(values()).containsExactly(8);
  }

  @Test
  void writesAfterCloseAreRefused() {
    writer.close();
    assertThatThrownBy(() -> writer.write(c -> insert(c, 1)))
        .isInstanceOf(IllegalStateException.class);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
