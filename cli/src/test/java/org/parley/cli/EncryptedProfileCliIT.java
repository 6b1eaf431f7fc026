package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;

/**
 * Encrypted profiles driven end to end against a real server: one under --passphrase-file, one
 * under PARLEY_PASSPHRASE, one without a passphrase as the control whose files do hold the text.
 */
class EncryptedProfileCliIT {
  private static final String TEXT = "the cellar key is under the third stone";

  @TempDir static Path dir;
  private static ParleyServer server;
  private static String url;

  @BeforeAll
  static void startServer() {
    server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDir(dir.resolve("server"))
                .withDomain("example.org")
                .withKt(
                    org.parley.server.kt.KtSettings.defaults()
                        .withEpoch(
                            java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(5))));
    url = server.uri().toString();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void encryptedProfilesTalkAndKeepTheTextOutOfTheirFiles() throws Exception {
    Path danaPass = Files.writeString(dir.resolve("dana.pass"), "dana's passphrase\n");
    Map<String, String> erinEnv = Map.of("PARLEY_PASSPHRASE", "erin's passphrase");

    assertSucceeded(
        run(
            Map.of(),
            "dana",
            "--passphrase-file",
            danaPass.toString(),
            "register",
            "--server",
            url,
            "dana"));
    assertSucceeded(run(erinEnv, "erin", "register", "--server", url, "erin"));
    assertSucceeded(run(Map.of(), "frank", "register", "--server", url, "frank"));

    CliRun locked = run(Map.of(), "erin", "receive");
    assertThat(locked.exit()).isEqualTo(1);
    locked.assertOneErrorLine();
    assertThat(locked.err()).contains("this profile is encrypted");

    String dana = "--passphrase-file=" + danaPass;
    assertSucceeded(run(Map.of(), "dana", dana, "send", "erin", TEXT));
    assertSucceeded(run(Map.of(), "dana", dana, "send", "frank", TEXT));
    CliRun erinGot = run(erinEnv, "erin", "receive");
    assertSucceeded(erinGot);
    assertThat(erinGot.out()).contains("dana@example.org/1: " + TEXT);
    assertSucceeded(run(Map.of(), "frank", "receive"));
    assertThat(run(Map.of(), "dana", dana, "receive").out()).contains("delivered to 1 of 1 device");

    // the control: the same search finds the text in the profile without a passphrase
    assertThat(filesContaining("frank", TEXT)).isNotEmpty();
    assertThat(filesContaining("dana", TEXT)).isEmpty();
    assertThat(filesContaining("erin", TEXT)).isEmpty();

    // change dana's passphrase; the old one no longer opens her profile
    Path danaNew = Files.writeString(dir.resolve("dana.new"), "dana's new passphrase");
    assertSucceeded(
        run(
            Map.of(),
            "dana",
            dana,
            "passphrase",
            "change",
            "--new-passphrase-file",
            danaNew.toString()));
    assertThat(run(Map.of(), "dana", dana, "history", "erin").err()).contains("wrong passphrase");
    CliRun history =
        run(Map.of(), "dana", "--passphrase-file", danaNew.toString(), "history", "erin");
    assertSucceeded(history);
    assertThat(history.out()).contains("-> erin@example.org: " + TEXT);

    // erin removes hers: the history is readable without one, and in the clear again
    assertSucceeded(run(erinEnv, "erin", "passphrase", "remove"));
    CliRun erinHistory = run(Map.of(), "erin", "history", "dana");
    assertSucceeded(erinHistory);
    assertThat(erinHistory.out()).contains(TEXT);
    assertThat(filesContaining("erin", TEXT)).isNotEmpty();
  }

  private static CliRun run(Map<String, String> env, String profile, String... args) {
    List<String> all = new ArrayList<>(List.of("--profile", dir.resolve(profile).toString()));
    all.addAll(List.of(args));
    return CliRun.run(env, all.toArray(String[]::new));
  }

  /** The profile's raw files (state file, WAL, shared memory) that contain {@code text}. */
  private static List<Path> filesContaining(String profile, String text) throws Exception {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> found = new ArrayList<>();
    for (String name : List.of("device.db", "device.db-wal", "device.db-shm")) {
      Path file = dir.resolve(profile).resolve(name);
      if (Files.exists(file) && contains(Files.readAllBytes(file), needle)) {
        found.add(file);
      }
    }
    return found;
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void assertSucceeded(CliRun run) {
    assertThat(run.exit()).as("exit code; stdout: %s; stderr: %s", run.out(), run.err()).isZero();
    assertThat(run.err()).isEmpty();
  }
}
