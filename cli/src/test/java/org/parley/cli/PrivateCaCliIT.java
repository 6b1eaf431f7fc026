package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.ParleyServer;
import org.parley.server.ServerConfig;

/**
 * Issue 8, item 8: {@code --ca-cert FILE} trusts a private CA. A real server speaks TLS with a
 * certificate that a CA made for this test signed (keytool, the JDK's own tool); the client reaches
 * it with the CA's certificate and refuses it without.
 */
class PrivateCaCliIT {
  private static final String PASS = "changeit";

  @TempDir Path dir;

  @Test
  void aServerOfAPrivateCaIsTrustedWithCaCertAndRefusedWithout() throws Exception {
    Path ca = dir.resolve("ca.p12");
    Path srv = dir.resolve("srv.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "EC",
        "-dname",
        "CN=Parley test CA",
        "-ext",
        "bc:c",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASS);
    keytool(
        "-genkeypair",
        "-alias",
        "srv",
        "-keyalg",
        "EC",
        "-dname",
        "CN=127.0.0.1",
        "-keystore",
        srv.toString(),
        "-storepass",
        PASS);
    Path csr = dir.resolve("srv.csr");
    keytool(
        "-certreq",
        "-alias",
        "srv",
        "-keystore",
        srv.toString(),
        "-storepass",
        PASS,
        "-file",
        csr.toString());
    Path chain = dir.resolve("srv.pem");
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASS,
        "-infile",
        csr.toString(),
        "-outfile",
        chain.toString(),
        "-rfc",
        "-ext",
        "san=ip:127.0.0.1");
    Path caPem = dir.resolve("ca.pem");
    keytool(
        "-exportcert",
        "-alias",
        "ca",
        "-keystore",
        ca.toString(),
        "-storepass",
        PASS,
        "-rfc",
        "-file",
        caPem.toString());
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(srv)) {
      store.load(in, PASS.toCharArray());
    }
    Path key = dir.resolve("srv.key");
    Files.writeString(
        key,
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(store.getKey("srv", PASS.toCharArray()).getEncoded())
            + "\n-----END PRIVATE KEY-----\n");

    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults()
                .withPort(0)
                .withDataDir(dir.resolve("server"))
                .withDomain("example.org")
                .withTls(chain, key))) {
      String url = server.uri().toString();
      assertThat(url).startsWith("https://");

      CliRun untrusted = as("alice", "register", "--server", url, "alice");
      assertThat(untrusted.exit()).isEqualTo(Failures.UNREACHABLE);
      untrusted.assertOneErrorLine();
      assertThat(untrusted.err()).contains("TLS");

      CliRun trusted =
          as("alice", "--ca-cert", caPem.toString(), "register", "--server", url, "alice");
      assertThat(trusted.exit()).as(trusted.err()).isZero();
      CliRun viaEnv =
          CliRun.run(
              Map.of("PARLEY_CA_CERT", caPem.toString()),
              "--profile",
              dir.resolve("alice").toString(),
              "whoami");
      assertThat(viaEnv.exit()).as(viaEnv.err()).isZero();

      // the auditor reaches the same server through the same option
      Path auditor = dir.resolve("auditor");
      CliRun auditUntrusted = as("alice", "audit", url, "--auditor-dir", auditor.toString());
      assertThat(auditUntrusted.exit()).isEqualTo(Failures.UNREACHABLE);
      CliRun audit =
          as(
              "alice",
              "--ca-cert",
              caPem.toString(),
              "audit",
              url,
              "--auditor-dir",
              auditor.toString());
      assertThat(audit.exit()).as(audit.err()).isZero();
      assertThat(audit.out()).contains("Auditor key"); // the log may not have its first epoch yet
    }
  }

  /**
   * A new server's log is empty until its first epoch: the audit says there is nothing to audit yet
   * and succeeds (it was a 400 before), and pins the log for the audits that follow.
   */
  @Test
  void anEmptyLogHasNothingToAuditYet() throws Exception {
    ServerConfig config =
        ServerConfig.defaults()
            .withPort(0)
            .withDataDir(dir.resolve("empty"))
            .withDomain("example.org");
    config =
        config.withKt(
            config
                .kt()
                .withMaxBehind(java.time.Duration.ofMinutes(30))
                .withEpoch(java.time.Duration.ofSeconds(60), java.time.Duration.ofMinutes(10)));
    try (ParleyServer server = ParleyServer.start(config)) {
      Path auditor = dir.resolve("auditor");
      CliRun audit =
          as(
              "nobody",
              "--json",
              "audit",
              server.uri().toString(),
              "--auditor-dir",
              auditor.toString());
      assertThat(audit.exit()).as(audit.err()).isZero();
      assertThat(audit.out()).contains("\"treeSize\":0").doesNotContain("\"root\"");
      assertThat(Files.list(auditor.resolve("servers")).count()).isEqualTo(1); // pinned
      CliRun plain =
          as("nobody", "audit", server.uri().toString(), "--auditor-dir", auditor.toString());
      assertThat(plain.exit()).as(plain.err()).isZero();
      assertThat(plain.out()).contains("nothing to audit yet");
    }
  }

  /**
   * A log that the auditor saw with entries and that a server (the same keys, a fresh database) now
   * shows empty was rolled back: an alarm (exit 3), not "nothing to audit yet".
   */
  @Test
  void aLogThatBecameEmptyIsARollback() throws Exception {
    Path data = dir.resolve("first");
    Path auditor = dir.resolve("auditor");
    int port;
    try (ParleyServer server =
        ParleyServer.start(
            ServerConfig.defaults().withPort(0).withDataDir(data).withDomain("example.org"))) {
      port = server.uri().getPort();
      String url = server.uri().toString();
      assertThat(as("alice", "register", "--server", url, "alice").exit()).isZero();
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      CliRun audit;
      do {
        audit = as("alice", "audit", url, "--auditor-dir", auditor.toString());
        assertThat(audit.exit()).as(audit.err()).isZero();
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the log got no entry: " + audit.out());
        }
      } while (audit.out().contains("nothing to audit yet"));
    }
    Path second = dir.resolve("second");
    copy(data.resolve("kt"), second.resolve("kt")); // the same log keys, no database
    // the same settings too (the log's configuration holds them); its first epoch comes 2 s after
    // it starts, and an audit before or after it sees fewer entries than before
    ServerConfig config =
        ServerConfig.defaults().withPort(port).withDataDir(second).withDomain("example.org");
    try (ParleyServer server = ParleyServer.start(config)) {
      CliRun audit =
          as("alice", "audit", server.uri().toString(), "--auditor-dir", auditor.toString());
      assertThat(audit.exit()).as(audit.out()).isEqualTo(Failures.ALARM);
      assertThat(audit.err()).contains("ROLLBACK");
    }
  }

  private static void copy(Path from, Path to) throws java.io.IOException {
    try (var files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private CliRun as(String profile, String... args) {
    List<String> all =
        new java.util.ArrayList<>(List.of("--profile", dir.resolve(profile).toString()));
    all.addAll(List.of(args));
    return CliRun.run(Map.of(), all.toArray(String[]::new));
  }

  private static void keytool(String... args) throws Exception {
    Path javaBin = Path.of(ProcessHandle.current().info().command().orElseThrow());
    List<String> command = new java.util.ArrayList<>();
    command.add(javaBin.resolveSibling("keytool").toString());
    command.addAll(List.of(args));
    command.add("-noprompt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError("keytool " + String.join(" ", args) + ": " + output);
    }
  }
}
