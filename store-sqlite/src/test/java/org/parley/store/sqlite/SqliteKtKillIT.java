package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.kt.KtEntry;
import org.parley.server.kt.KtEpoch;
import org.parley.server.kt.KtLeaf;
import org.parley.server.kt.KtVersion;
import org.parley.server.storage.Store;

/**
 * An appended epoch survives SIGKILL whole, and so does each group of epochs appended in one call
 * (the publisher's epoch of about 100 entries): a child JVM appends groups of {@link #GROUP} epochs
 * whose bytes follow from their position and reports each acknowledged epoch; this test kills it
 * mid-stream and replays.
 */
class SqliteKtKillIT {
  private static final int ACKNOWLEDGED_BEFORE_KILL = 100;
  private static final int LEAVES = 20;
  private static final int GROUP = 5;

  @TempDir Path dir;

  @Test
  void whatAppendAcknowledgedSurvivesSigkill() throws Exception {
    Path db = dir.resolve("parley.db");
    List<Long> acknowledged = new ArrayList<>();
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Appender.class.getName(),
                db.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && (line = out.readLine()) != null) {
        if (line.startsWith("appended ")) {
          acknowledged.add(Long.parseLong(line.substring(9)));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged).hasSize(ACKNOWLEDGED_BEFORE_KILL);

    try (Store store = new SqliteStoreProvider().open(Map.of("path", db.toString()))) {
      long size = store.kt().size();
      assertThat(size).isGreaterThanOrEqualTo(ACKNOWLEDGED_BEFORE_KILL);
      List<KtEpoch> replayed = new ArrayList<>();
      store.kt().forEachEpoch(0, size, replayed::add);
      List<KtEpoch> expected = new ArrayList<>();
      for (long position = 0; position < size; position++) {
        expected.add(epoch(position));
      }
      assertThat(replayed).isEqualTo(expected); // each one whole, none torn
      assertThat(size % GROUP).as("a group of epochs appended together is whole").isZero();
    }
  }

  static KtEpoch epoch(long position) {
    List<KtLeaf> leaves = new ArrayList<>();
    for (int i = 0; i < LEAVES; i++) {
      leaves.add(new KtLeaf(hash(position, "key", i), hash(position, "commitment", i)));
    }
    return new KtEpoch(
        new KtEntry(
            position, position * 1_000, hash(position, "root", 0), hash(position, "sig", 0)),
        leaves,
        List.of(
            new KtVersion(
                hash(position, "label", 0),
                0,
                position,
                hash(position, "proof", 0),
                hash(position, "opening", 0),
                hash(position, "value", 0))),
        List.of());
  }

  private static byte[] hash(long position, String what, int i) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(ByteBuffer.allocate(12).putLong(position).putInt(i).array());
      return sha.digest(what.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  /** The child: appends epochs until killed, printing each acknowledged position. */
  public static final class Appender {
    public static void main(String[] args) {
      try (Store store = new SqliteStoreProvider().open(Map.of("path", args[0]))) {
        for (long position = 0; ; position += GROUP) {
          List<KtEpoch> group = new ArrayList<>();
          for (int i = 0; i < GROUP; i++) {
            group.add(epoch(position + i));
          }
          store.kt().append(group);
          for (int i = 0; i < GROUP; i++) {
            System.out.println("appended " + (position + i));
          }
          System.out.flush();
        }
      }
    }
  }
}
