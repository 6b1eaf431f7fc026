package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ServerConfig;
import picocli.CommandLine;

/** The configuration file, its precedence, and where the store's secrets may come from. */
class ServerOptionsTest {
  @TempDir Path dir;

  private static ServerConfig parse(Map<String, String> env, String... args) {
    ServerOptions options = new ServerOptions();
    new CommandLine(options).parseArgs(args);
    return options.toConfig(env);
  }

  private static ServerConfig parse(String... args) {
    return parse(Map.of(), args);
  }

  private Path file(String name, String mode, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.write(file, java.util.List.of(lines));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
    return file;
  }

  @Test
  void aConfigurationFileSetsTheOptionsAndTheCommandLineOverridesIt() throws IOException {
    Path conf =
        file(
            "server.conf",
            "rw-r--r--",
            "# a comment, then a blank line",
            "",
            "data-dir = /srv/parley",
            "port = 8443",
            "  domain=chat.example.org  ",
            "store = postgres",
            "store-setting.url = jdbc:postgresql://db/parley?ssl=true",
            "store-setting.user = parley",
            "kt-epoch = 500ms",
            "kt-max-behind = 20m",
            "limit.sends-per-pair-per-minute = 30",
            "limit.handle-lookups-per-minute = 40");
    ServerConfig fromFile = parse("--config", conf.toString());
    assertThat(fromFile.dataDir()).isEqualTo(Path.of("/srv/parley"));
    assertThat(fromFile.port()).isEqualTo(8443);
    assertThat(fromFile.domain()).isEqualTo("chat.example.org");
    assertThat(fromFile.store()).isEqualTo("postgres");
    assertThat(fromFile.storeSettings())
        .isEqualTo(Map.of("url", "jdbc:postgresql://db/parley?ssl=true", "user", "parley"));
    assertThat(fromFile.kt().epoch()).isEqualTo(Duration.ofMillis(500));
    assertThat(fromFile.kt().maxBehind()).isEqualTo(Duration.ofMinutes(20));
    assertThat(fromFile.limits().sendsPerPairPerMinute()).isEqualTo(30);
    assertThat(fromFile.limits().handleLookupsPerMinute()).isEqualTo(40);

    ServerConfig both =
        parse(
            "--config",
            conf.toString(),
            "--port",
            "9000",
            "--store-setting",
            "user=other",
            "--limit",
            "sends-per-pair-per-minute=50",
            "--kt-epoch",
            "1s");
    assertThat(both.port()).isEqualTo(9000);
    assertThat(both.storeSettings())
        .containsEntry("user", "other")
        .containsEntry("url", "jdbc:postgresql://db/parley?ssl=true");
    assertThat(both.limits().sendsPerPairPerMinute()).isEqualTo(50);
    assertThat(both.limits().handleLookupsPerMinute()).isEqualTo(40);
    assertThat(both.kt().epoch()).isEqualTo(Duration.ofSeconds(1));
    assertThat(both.kt().maxBehind()).isEqualTo(Duration.ofMinutes(20));
    assertThat(both.domain()).isEqualTo("chat.example.org");
  }

  @Test
  void durabilityBecomesAStoreSettingAndOnlyItsTwoModesAreAccepted() {
    assertThat(parse("--durability", "power-loss").storeSettings())
        .containsEntry("durability", "power-loss");
    assertThat(parse().storeSettings()).doesNotContainKey("durability");
    assertThatThrownBy(() -> parse("--durability", "sometimes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("process or power-loss");
  }

  @Test
  void tlsFromTheFileMeansPort443UnlessAPortIsGiven() throws IOException {
    Path conf = file("tls.conf", "rw-r--r--", "tls-cert = c.pem", "tls-key = k.pem");
    assertThat(parse("--config", conf.toString()).port()).isEqualTo(443);
    assertThat(parse("--config", conf.toString(), "--port", "8443").port()).isEqualTo(8443);
  }

  @Test
  void anUnknownKeyIsAnErrorThatNamesItAndItsLine() throws IOException {
    Path conf = file("typo.conf", "rw-r--r--", "port = 8080", "# fine so far", "prot = 8081");
    assertThatThrownBy(() -> parse("--config", conf.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(conf + " line 3: unknown setting 'prot'")
        .hasMessageContaining("port")
        .hasMessageContaining("store-setting.KEY");
    // not in a file: the test switch, and --config itself
    Path test = file("test.conf", "rw-r--r--", "kt-test-misbehaviour = true");
    assertThatThrownBy(() -> parse("--config", test.toString()))
        .hasMessageContaining("line 1: unknown setting 'kt-test-misbehaviour'");
    Path nested = file("nested.conf", "rw-r--r--", "config = other.conf");
    assertThatThrownBy(() -> parse("--config", nested.toString()))
        .hasMessageContaining("line 1: unknown setting 'config'");
  }

  @Test
  void aBadLineIsAnErrorThatNamesItsLine() throws IOException {
    Path badValue = file("value.conf", "rw-r--r--", "port = many");
    assertThatThrownBy(() -> parse("--config", badValue.toString()))
        .hasMessageContaining(badValue + " line 1: ")
        .hasMessageContaining("'many' is not an int");
    Path twice = file("twice.conf", "rw-r--r--", "port = 1", "store-setting.user = a", "port = 2");
    assertThatThrownBy(() -> parse("--config", twice.toString()))
        .hasMessageContaining("line 3: port is already set on line 1");
    Path noEquals = file("noeq.conf", "rw-r--r--", "port 8080");
    assertThatThrownBy(() -> parse("--config", noEquals.toString()))
        .hasMessageContaining("line 1: expected key = value");
    Path bare = file("bare.conf", "rw-r--r--", "limit = sends-per-pair-per-minute=3");
    assertThatThrownBy(() -> parse("--config", bare.toString()))
        .hasMessageContaining("line 1: write limit.NAME = VALUE");
    Path empty = file("empty.conf", "rw-r--r--", "domain =");
    assertThatThrownBy(() -> parse("--config", empty.toString()))
        .hasMessageContaining("line 1: domain has no value");
    Path badLimit = file("limit.conf", "rw-r--r--", "limit.nosuch = 3");
    assertThatThrownBy(() -> parse("--config", badLimit.toString()))
        .hasMessageContaining("unknown limit nosuch");
    assertThatThrownBy(() -> parse("--config", dir.resolve("missing.conf").toString()))
        .hasMessageContaining("no configuration file " + dir.resolve("missing.conf"));
  }

  @Test
  void theCommandLineRefusesSecrets() {
    assertThatThrownBy(() -> parse("--store", "postgres", "--store-setting", "password=hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ps lists the command line")
        .hasMessageContaining(StoreSecrets.PASSWORD_ENV)
        .hasMessageContaining("--store-setting password-file=FILE")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () -> parse("--store-setting", "url=jdbc:postgresql://db/p?user=u&password=hunter2"))
        .hasMessageContaining(StoreSecrets.PASSWORD_ENV)
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> parse("--store-setting", "apiKey=abc"))
        .hasMessageContaining("--store-setting apiKey-file=FILE");
  }

  @Test
  void thePasswordComesFromTheEnvironment() {
    ServerConfig c = parse(Map.of(StoreSecrets.PASSWORD_ENV, "from env"), "--store", "postgres");
    assertThat(c.storeSettings()).containsEntry("password", "from env");
    assertThat(parse(Map.of(StoreSecrets.PASSWORD_ENV, ""), "--store", "postgres").storeSettings())
        .doesNotContainKey("password");
  }

  @Test
  void thePasswordComesFromAnOwnerOnlyFile() throws IOException {
    Path secret = file("db-password", "rw-------", "from file");
    ServerConfig c = parse("--store", "postgres", "--store-setting", "password-file=" + secret);
    assertThat(c.storeSettings())
        .containsEntry("password", "from file")
        .doesNotContainKey("password-file");
    assertThat(c.toString()).doesNotContain("from file");

    Path readable = file("readable-password", "rw-r-----", "from file");
    assertThatThrownBy(() -> parse("--store-setting", "password-file=" + readable))
        .hasMessageContaining(
            "the secret file " + readable + " holds a secret but other users may access it")
        .hasMessageContaining("chmod 600");
    Path empty = file("empty-password", "rw-------");
    assertThatThrownBy(() -> parse("--store-setting", "password-file=" + empty))
        .hasMessageContaining("is empty");
    assertThatThrownBy(
            () ->
                parse(
                    Map.of(StoreSecrets.PASSWORD_ENV, "x"),
                    "--store-setting",
                    "password-file=" + secret))
        .hasMessageContaining(
            "password is given more than once (" + StoreSecrets.PASSWORD_ENV + ", password-file)");
  }

  @Test
  void aPasswordInTheConfigurationFileNeedsAnOwnerOnlyFile() throws IOException {
    Path open =
        file("open.conf", "rw-r--r--", "store = postgres", "store-setting.password = in file");
    assertThatThrownBy(() -> parse("--config", open.toString()))
        .hasMessageContaining(
            "the configuration file " + open + " holds a secret but other users may access it")
        .hasMessageContaining("chmod 600 " + open);
    Path closed =
        file("closed.conf", "rw-------", "store = postgres", "store-setting.password = in file");
    assertThat(parse("--config", closed.toString()).storeSettings())
        .containsEntry("password", "in file");
    // a file naming the password's file is no secret itself
    Path secret = file("db-password", "r--------", "from file");
    Path pointing = file("pointing.conf", "rw-r--r--", "store-setting.password-file = " + secret);
    assertThat(parse("--config", pointing.toString()).storeSettings())
        .containsEntry("password", "from file");
    assertThatThrownBy(
            () -> parse(Map.of(StoreSecrets.PASSWORD_ENV, "x"), "--config", closed.toString()))
        .hasMessageContaining("given more than once");
  }
}
