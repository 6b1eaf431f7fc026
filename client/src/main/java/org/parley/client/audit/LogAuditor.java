package org.parley.client.audit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.parley.client.ClientException;
import org.parley.client.ServerUnreachableException;
import org.parley.keytrans.audit.AuditException;
import org.parley.keytrans.audit.Auditor;
import org.parley.keytrans.audit.AuditorUpdate;
import org.parley.keytrans.head.AuditorTreeHead;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.InvalidTreeHeadException;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.SignatureScheme;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.tls.TlsReader;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.kt.AuditorHead;
import org.parley.protocol.kt.KtConfig;

/**
 * An independent auditor of a Parley server's key-transparency log, runnable by anyone: it reads
 * the whole audit stream, checks every entry with the draft's auditor steps (no entry may remove a
 * leaf before a distinguished entry published it; every proof must match the auditor's own state),
 * checks the server's signed head against the root it computed itself, then signs an auditor tree
 * head with its own key and gives it to the server to publish.
 *
 * <p>The auditor's directory holds its signing key ({@code auditor.key}, one identity for every log
 * it audits) and a state per log, so that one auditor can audit several servers (issue 8): {@code
 * logs/HASH/} holds the configuration of the log whose hash (SHA-256 of the encoded configuration,
 * base64url, as in {@code #kt=HASH}) names it and the size and root it last audited, and {@code
 * servers/HOST_PORT} the hash of the log that server showed first. A server that later shows
 * another log is an alarm; another server with its own log is not. A directory written before (one
 * {@code log.config} and {@code audited} at its top) is moved into this layout when its log is
 * audited again.
 */
public final class LogAuditor {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI server;

  /** The auditor's directory, with its key. */
  private final Path root;

  /** This log's state: set by {@link #pinnedConfiguration}. */
  private Path logDir;

  /** The log's size as its configuration answer stated it: set by {@link #pinnedConfiguration}. */
  private long servedSize;

  /** The configuration answer as it came: the evidence of an emptied log. */
  private byte[] servedConfig;

  private final HttpClient http;

  public LogAuditor(URI server, Path dir) {
    this(server, dir, java.util.Optional.empty());
  }

  /**
   * An auditor of the log at {@code server}, keeping its state under {@code dir}; given {@code
   * caCertificates} (a PEM file), an https server is trusted by those CAs instead of the system's.
   */
  public LogAuditor(URI server, Path dir, java.util.Optional<Path> caCertificates) {
    this.server = server;
    this.root = dir;
    this.http = org.parley.client.transport.ServerApi.newHttpClient(caCertificates);
  }

  /**
   * The outcome of a clean audit; {@code root} is null for an empty log (a new server's, before its
   * first epoch), which there is nothing to audit in yet.
   */
  public record Result(long treeSize, String root, String auditorKey, boolean published) {}

  /** The log failed the audit: the message names the entry and the step; evidence is kept. */
  public static final class AuditFailure extends ClientException {
    public AuditFailure(String message) {
      super(message);
    }
  }

  /**
   * Audits the whole log and, if {@code publish}, gives the server the signed auditor head.
   *
   * @param progress receives a line per page of entries
   */
  public Result audit(boolean publish, Consumer<String> progress) {
    Configuration config = pinnedConfiguration();
    SignatureSecretKey key = auditorKey(config);
    Auditor auditor = new Auditor(config);
    Audited before = lastAudited();
    byte[] publicKeyBytes = config.suite().signatureScheme().publicKey(key).bytes();
    if (servedSize == 0) {
      // a new log is empty until its first epoch: nothing to audit, unless this auditor saw more
      if (before != null && before.size() > 0) {
        throw evidence(
            "ROLLBACK: the log says it is empty; this auditor audited "
                + before.size()
                + " entries before",
            servedConfig);
      }
      return new Result(0, null, Json.base64Url(publicKeyBytes), false);
    }
    TreeHead head = null;
    long next = 0;
    while (true) {
      byte[] page = get("/v1/kt/audit?start=" + next);
      TlsReader in = new TlsReader(page);
      try {
        head = TreeHead.readFrom(in);
        long start = in.u64();
        int count = in.u16();
        if (start != next) {
          throw new AuditFailure("the server answered entries from " + start + ", not " + next);
        }
        for (int i = 0; i < count; i++) {
          AuditorUpdate update = AuditorUpdate.decode(in.fixed(in.u32()));
          try {
            auditor.process(update);
          } catch (AuditException e) {
            throw evidence("entry " + (next + i) + " fails the audit at " + e.getMessage(), page);
          }
          if (before != null && auditor.treeSize() == before.size()) {
            String root = HexFormat.of().formatHex(auditor.root().orElseThrow().toByteArray());
            if (!root.equals(before.root())) {
              throw evidence(
                  "FORK: at size "
                      + before.size()
                      + " this log's root is "
                      + root
                      + ", but this auditor audited root "
                      + before.root()
                      + " there before: the"
                      + " server shows different logs",
                  page);
            }
          }
        }
        in.end();
        next += count;
        if (count == 0 || next >= head.treeSize()) {
          break;
        }
        progress.accept("audited " + next + " of " + head.treeSize() + " entries");
      } catch (MalformedEncodingException e) {
        throw evidence(
            "the audit stream is malformed at entry " + next + ": " + e.getMessage(), page);
      }
    }
    if (before != null && auditor.treeSize() < before.size()) {
      throw evidence(
          "ROLLBACK: the log has "
              + auditor.treeSize()
              + " entries; this auditor "
              + "audited "
              + before.size()
              + " before",
          head.encode());
    }
    if (head.treeSize() != auditor.treeSize()) {
      throw new AuditFailure(
          "the server's head covers "
              + head.treeSize()
              + " entries but the "
              + "audit stream gave "
              + auditor.treeSize());
    }
    try {
      TreeHeads.verify(config, head, auditor.root().orElseThrow());
    } catch (InvalidTreeHeadException e) {
      throw evidence(
          "FORK: the server signed a head of size "
              + head.treeSize()
              + " whose root is not the root of the log it showed this auditor",
          head.encode());
    }
    remember(
        auditor.treeSize(), HexFormat.of().formatHex(auditor.root().orElseThrow().toByteArray()));
    AuditorTreeHead signed = auditor.sign(key);
    String publicKey = Json.base64Url(publicKeyBytes);
    boolean published = false;
    if (publish) {
      post(
          "/v1/kt/auditor-heads",
          Json.write(
              new AuditorHead(
                  publicKeyBytes, signed.treeSize(), signed.timestamp(), signed.signature())));
      published = true;
    }
    return new Result(
        auditor.treeSize(),
        HexFormat.of().formatHex(auditor.root().orElseThrow().toByteArray()),
        publicKey,
        published);
  }

  /** The size and root of the last clean audit, kept so that a later audit detects a fork. */
  private record Audited(long size, String root) {}

  private Audited lastAudited() {
    Path file = logDir.resolve("audited");
    try {
      if (!Files.exists(file)) {
        return null;
      }
      String[] parts = Files.readString(file).strip().split(" ");
      return new Audited(Long.parseLong(parts[0]), parts[1]);
    } catch (IOException | RuntimeException e) {
      throw new ClientException(
          "cannot read the auditor's last audit in " + file + ": " + e.getMessage());
    }
  }

  private void remember(long size, String root) {
    Path file = logDir.resolve("audited");
    try {
      Path tmp = logDir.resolve("audited.tmp");
      Files.writeString(tmp, size + " " + root + "\n");
      Files.move(
          tmp,
          file,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new ClientException("cannot record the audit in " + file + ": " + e.getMessage());
    }
  }

  private AuditFailure evidence(String message, byte[] evidence) {
    Path dir = logDir != null ? logDir : root;
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("evidence-" + System.currentTimeMillis() + ".bin");
      Files.write(file, evidence);
      return new AuditFailure(message + " (evidence kept in " + file + ")");
    } catch (IOException e) {
      return new AuditFailure(message);
    }
  }

  private Configuration pinnedConfiguration() {
    byte[] served;
    try {
      servedConfig = get("/v1/kt/config");
      KtConfig answer = Json.read(servedConfig, KtConfig.class);
      served = answer.configuration();
      servedSize = answer.treeSize();
    } catch (ProtocolException e) {
      throw new ClientException(
          "the server's answer to /v1/kt/config cannot be read: " + e.getMessage());
    }
    String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(served));
    logDir = root.resolve("logs").resolve(hash);
    Path pin = root.resolve("servers").resolve(serverName());
    try {
      Files.createDirectories(logDir);
      Files.createDirectories(pin.getParent());
      adoptLegacyState(served);
      if (Files.exists(pin)) {
        String pinned = Files.readString(pin).strip();
        if (!pinned.equals(hash)) {
          throw new AuditFailure(
              "the server's key-transparency configuration changed since this "
                  + "auditor pinned it in "
                  + pin
                  + " (log "
                  + pinned
                  + ", now "
                  + hash
                  + ")");
        }
      } else {
        Files.writeString(pin, hash + "\n");
      }
      Path config = logDir.resolve("log.config");
      if (!Files.exists(config)) {
        Files.write(config, served);
      }
      return Configuration.decode(served);
    } catch (IOException e) {
      throw new ClientException("cannot use the auditor directory " + root + ": " + e.getMessage());
    } catch (MalformedEncodingException e) {
      throw new AuditFailure("the server's key-transparency configuration is malformed");
    }
  }

  /** The server as a file name: host and port, nothing a path could misread. */
  private String serverName() {
    int port =
        server.getPort() != -1
            ? server.getPort()
            : "https".equalsIgnoreCase(server.getScheme()) ? 443 : 80;
    return server.getHost().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "_")
        + "_"
        + port;
  }

  /**
   * Moves the state of an auditor directory from before per-log state (one {@code log.config} and
   * {@code audited} at the top) under its log, once that log is audited again.
   */
  private void adoptLegacyState(byte[] served) throws IOException {
    Path legacy = root.resolve("log.config");
    if (!Files.exists(legacy) || !java.util.Arrays.equals(Files.readAllBytes(legacy), served)) {
      return; // none, or another server's log: it waits for that server
    }
    Path audited = root.resolve("audited");
    if (Files.exists(audited)) {
      Files.move(
          audited, logDir.resolve("audited"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(
        legacy, logDir.resolve("log.config"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private SignatureSecretKey auditorKey(Configuration config) {
    SignatureScheme scheme = config.suite().signatureScheme();
    Path file = root.resolve("auditor.key");
    try {
      if (!Files.exists(file)) {
        byte[] fresh = scheme.generateSecretKey(new SecureRandom()).bytes();
        // the key signs auditor heads: owner-only where the file system has permissions
        if (java.nio.file.FileSystems.getDefault()
            .supportedFileAttributeViews()
            .contains("posix")) {
          Files.createFile(
              file,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
          Files.createFile(file);
        }
        Files.write(file, fresh);
      }
      return new SignatureSecretKey(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ClientException("cannot keep the auditor key in " + file + ": " + e.getMessage());
    }
  }

  private byte[] get(String path) {
    return send(HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT).GET().build());
  }

  private void post(String path, byte[] json) {
    send(
        HttpRequest.newBuilder(server.resolve(path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(json))
            .build());
  }

  private byte[] send(HttpRequest request) {
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        throw new ClientException(
            "the server answered HTTP "
                + response.statusCode()
                + " to "
                + request.uri().getPath()
                + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
      }
      return response.body();
    } catch (IOException e) {
      throw new ServerUnreachableException(server.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted", e);
    }
  }
}
