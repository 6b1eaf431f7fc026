package org.parley.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.parley.protocol.Handle;
import org.parley.protocol.kt.KtLabels;
import org.parley.server.http.RateLimits;
import org.parley.server.kt.KtSettings;

/**
 * How a server runs: its handle domain, where it listens, where it keeps data, which store backs
 * it, TLS, and its rate limits. Immutable; {@link #defaults()} and the {@code with...} methods
 * build one (the command lines build theirs with {@code config.ServerOptions}, whose defaults for
 * the data directory and the port differ: docs/operations.md). {@link #toString()} hides secrets.
 *
 * @param domain the domain of every handle on this server
 * @param host the address to listen on; a non-loopback address requires TLS
 * @param port the port; 0 picks a free one
 * @param dataDir where the server keeps its files (the SQLite database, {@code server.port})
 * @param store the storage backend by name: "sqlite" or "postgres"
 * @param storeSettings backend settings; sqlite's {@code path} defaults to dataDir/parley.db
 * @param tlsCertificate PEM certificate chain, or null for plain HTTP (loopback only)
 * @param tlsPrivateKey PEM PKCS#8 private key (RSA or EC), or null
 * @param limits the rate limits (docs/spec/api.md, "Rate limits")
 * @param linkTtl how long a device link stays open
 * @param kt how the key-transparency log is published
 */
public record ServerConfig(
    String domain,
    String host,
    int port,
    Path dataDir,
    String store,
    Map<String, String> storeSettings,
    Path tlsCertificate,
    Path tlsPrivateKey,
    RateLimits limits,
    Duration linkTtl,
    KtSettings kt) {

  public ServerConfig {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(linkTtl, "linkTtl");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(kt, "kt");
    storeSettings = storeSettings == null ? Map.of() : Map.copyOf(storeSettings);
    try {
      domain = new Handle("x@" + domain).domain();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a domain: " + domain);
    }
    if (domain.length() > KtLabels.MAX_HANDLE_DOMAIN_LENGTH) {
      // every handle is published under a key-transparency label of at most 255 bytes
      throw new IllegalArgumentException(
          "the domain must be at most "
              + KtLabels.MAX_HANDLE_DOMAIN_LENGTH
              + " characters: "
              + domain);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535: " + port);
    }
    if (linkTtl.isNegative() || linkTtl.isZero()) {
      throw new IllegalArgumentException("linkTtl must be positive");
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        "localhost",
        "127.0.0.1",
        8080,
        Path.of("parley-data"),
        "sqlite",
        Map.of(),
        null,
        null,
        RateLimits.defaults(),
        Duration.ofMinutes(10),
        KtSettings.defaults());
  }

  public ServerConfig withDomain(String domain) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withHost(String host) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withPort(int port) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withDataDir(Path dataDir) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withStore(String store) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withStoreSettings(Map<String, String> storeSettings) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  /** Adds or replaces one store setting. */
  public ServerConfig withStoreSetting(String key, String value) {
    Map<String, String> settings = new HashMap<>(storeSettings);
    settings.put(key, value);
    return withStoreSettings(settings);
  }

  /** Both PEM files, or both null for plain HTTP. */
  public ServerConfig withTls(Path certificate, Path privateKey) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        certificate,
        privateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withTlsCertificate(Path certificate) {
    return withTls(certificate, tlsPrivateKey);
  }

  public ServerConfig withTlsPrivateKey(Path privateKey) {
    return withTls(tlsCertificate, privateKey);
  }

  public ServerConfig withLimits(RateLimits limits) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  /** Sets one limit by its option name ({@link RateLimits#NAMES}). */
  public ServerConfig withLimit(String name, int value) {
    return withLimits(limits.with(name, value));
  }

  public ServerConfig withPreKeyFetchesPerHour(int perHour) {
    return withLimit("key-fetches-per-pair-per-hour", perHour);
  }

  public ServerConfig withRegistrationsPerHour(int perHour) {
    return withLimit("registrations-per-hour", perHour);
  }

  /** Bundle fetches per (calling account, target account) pair and hour. */
  public int preKeyFetchesPerHour() {
    return limits.keyFetchesPerPairPerHour();
  }

  /** Registrations (and link creations) per remote address and hour. */
  public int registrationsPerHour() {
    return limits.registrationsPerHour();
  }

  public ServerConfig withLinkTtl(Duration linkTtl) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public ServerConfig withKt(KtSettings kt) {
    return new ServerConfig(
        domain,
        host,
        port,
        dataDir,
        store,
        storeSettings,
        tlsCertificate,
        tlsPrivateKey,
        limits,
        linkTtl,
        kt);
  }

  public boolean tls() {
    return tlsCertificate != null;
  }

  /** The store settings with defaults filled in (sqlite: {@code path} = dataDir/parley.db). */
  public Map<String, String> effectiveStoreSettings() {
    if (!store.equals("sqlite") || storeSettings.containsKey("path")) {
      return storeSettings;
    }
    Map<String, String> settings = new HashMap<>(storeSettings);
    settings.put("path", dataDir.resolve("parley.db").toString());
    return Map.copyOf(settings);
  }

  /**
   * Checks what can only be checked as a whole, before starting.
   *
   * @throws IllegalArgumentException with a message fit for the operator
   */
  public void validate() {
    if (kt.misbehaviour() && !Boolean.getBoolean("parley.test")) {
      throw new IllegalArgumentException(
          "key-transparency misbehaviour is a test-only switch; it needs -Dparley.test=true");
    }
    if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
      throw new IllegalArgumentException(
          "TLS needs both a certificate and a private key (PEM files), or neither");
    }
    if (!tls() && !isLoopback(host)) {
      throw new IllegalArgumentException(
          "refusing to listen on "
              + host
              + " without TLS: plain HTTP is for loopback addresses only;"
              + " give a certificate and a private key, or listen on 127.0.0.1");
    }
  }

  /**
   * Whether a store setting holds a secret, by its name: one containing password, secret or key.
   * Such settings print as {@code ***}, and the command line refuses them.
   */
  public static boolean isSecret(String settingName) {
    String name = settingName.toLowerCase(Locale.ROOT);
    return name.contains("password") || name.contains("secret") || name.contains("key");
  }

  /** The configuration with every secret store setting, and any password in a URL, as ***. */
  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    storeSettings.forEach(
        (name, value) ->
            shown.put(
                name,
                isSecret(name)
                    ? REDACTED
                    : PASSWORD_PARAMETER.matcher(value).replaceAll("$1" + REDACTED)));
    return "ServerConfig[domain="
        + domain
        + ", host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", store="
        + store
        + ", storeSettings="
        + shown
        + ", tlsCertificate="
        + tlsCertificate
        + ", tlsPrivateKey="
        + tlsPrivateKey
        + ", limits="
        + limits
        + ", linkTtl="
        + linkTtl
        + ", kt="
        + kt
        + "]";
  }

  private static final String REDACTED = "***";

  /** A password parameter in a URL ({@code jdbc:postgresql://h/db?user=u&password=p}). */
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;]password=)[^&;]*");

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(host)) {
        if (!address.isLoopbackAddress()) {
          return false;
        }
      }
      return true;
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cannot resolve host " + host);
    }
  }
}
