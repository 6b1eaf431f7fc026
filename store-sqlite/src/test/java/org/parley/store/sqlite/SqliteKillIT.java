package org.parley.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.server.account.Account;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.EnqueueResult;
import org.parley.server.message.StoredEnvelope;
import org.parley.server.storage.Store;
import org.parley.server.storage.StoreFixture;

/**
 * Durable before acknowledged: a process that is SIGKILLed in the middle of sending loses none of
 * the envelopes whose enqueue had returned. A child JVM sends and reports each committed envelope
 * id; this test kills it mid-stream and reopens the database.
 */
class SqliteKillIT {
  private static final int ACKNOWLEDGED_BEFORE_KILL = 300;

  @TempDir Path dir;

  @Test
  void whatEnqueueAcknowledgedSurvivesSigkill() throws Exception {
    Path db = dir.resolve("parley.db");
    Handle handle = StoreFixture.uniqueHandle();
    List<String> acknowledged = new ArrayList<>();
    Process child =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                Sender.class.getName(),
                db.toString(),
                handle.value())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL && (line = out.readLine()) != null) {
        if (line.startsWith("sent ")) {
          acknowledged.add(line.substring(5));
        }
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }
    assertThat(acknowledged).hasSize(ACKNOWLEDGED_BEFORE_KILL);

    try (Store store = new SqliteStoreProvider().open(Map.of("path", db.toString()))) {
      Account account = store.accounts().byHandle(handle).orElseThrow();
      List<String> stored =
          store.messages().pending(account.id(), DeviceId.of(1), 0, 100_000).stream()
              .map(e -> e.envelope().id())
              .toList();
      assertThat(stored).containsAll(acknowledged);
      assertThat(stored).startsWith(acknowledged.toArray(String[]::new)); // in send order
    }
  }

  /** The child: registers an account, then sends to it until killed, printing each commit. */
  public static final class Sender {
    public static void main(String[] args) throws Exception {
      try (Store store = new SqliteStoreProvider().open(Map.of("path", args[0]))) {
        Account account = new Account(AccountId.random(), Handle.of(args[1]), 1L);
        store
            .accounts()
            .create(account, StoreFixture.newDevice("phone", 1), StoreFixture.bytes(64));
        for (int i = 0; ; i++) {
          var envelope = StoreFixture.envelope(account, DeviceId.of(1), "message " + i);
          EnqueueResult result =
              store
                  .messages()
                  .enqueue(
                      account.id(),
                      null,
                      List.of(new AddressedEnvelope(DeviceId.of(1), 1, envelope)));
          StoredEnvelope stored = ((EnqueueResult.Stored) result).envelopes().get(0);
          System.out.println("sent " + stored.envelope().id());
          System.out.flush();
        }
      }
    }
  }
}
