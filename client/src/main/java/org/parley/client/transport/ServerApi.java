package org.parley.client.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.parley.client.ClientException;
import org.parley.client.ServerAddress;
import org.parley.client.ServerException;
import org.parley.client.ServerUnreachableException;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ErrorResponse;
import org.parley.protocol.Handle;
import org.parley.protocol.Json;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.account.Credentials;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.account.RegisterResponse;
import org.parley.protocol.keys.KeyCounts;
import org.parley.protocol.keys.PreKeyBundles;
import org.parley.protocol.keys.UploadKeysRequest;
import org.parley.protocol.kt.AuditorHeads;
import org.parley.protocol.kt.KtConfig;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkCreated;
import org.parley.protocol.link.LinkInfo;
import org.parley.protocol.link.LinkPollRequest;
import org.parley.protocol.link.LinkRequest;
import org.parley.protocol.link.LinkStatus;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.EnvelopeBatch;
import org.parley.protocol.message.SendRequest;
import org.parley.protocol.message.SendResponse;
import org.parley.protocol.meta.ServerInfo;
import org.parley.protocol.ws.BinaryFrame;
import org.parley.protocol.ws.Subprotocol;

/**
 * The client side of the REST API (docs/spec/api.md), one method per endpoint. Error answers become
 * {@link ServerException}; no answer at all becomes {@link ServerUnreachableException}.
 */
public final class ServerApi {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI base;
  private final HttpClient http;
  private final Credentials credentials;

  /** The listener's version 2 socket, shared by every send of this device. */
  private volatile RequestSocket socket;

  public ServerApi(URI base, HttpClient http, Credentials credentials) {
    this.base = ServerAddress.normalize(base);
    this.http = Objects.requireNonNull(http, "http");
    this.credentials = credentials;
  }

  /** An HTTP client with the timeouts Parley uses. */
  public static HttpClient newHttpClient() {
    return newHttpClient(java.util.Optional.empty());
  }

  /**
   * An HTTP client with the timeouts Parley uses that, given {@code caCertificates} (a PEM file of
   * one or more CA certificates), trusts those CAs for https instead of the system's: a server with
   * a certificate of a private CA.
   *
   * @throws ClientException if the file cannot be read or holds no certificate
   */
  public static HttpClient newHttpClient(java.util.Optional<java.nio.file.Path> caCertificates) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(
                HttpClient.Version
                    .HTTP_1_1) // the API is HTTP/1.1 (docs/spec/api.md); no h2c upgrade
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER);
    caCertificates.ifPresent(file -> builder.sslContext(trusting(file)));
    return builder.build();
  }

  private static javax.net.ssl.SSLContext trusting(java.nio.file.Path file) {
    try (var in = java.nio.file.Files.newInputStream(file)) {
      var certificates =
          java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new ClientException(
            "the file "
                + file
                + " holds no certificate (a PEM file of CA"
                + " certificates is expected)");
      }
      java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
      store.load(null, null);
      int i = 0;
      for (var certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      var trust =
          javax.net.ssl.TrustManagerFactory.getInstance(
              javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new ClientException(
          "cannot read the CA certificates in " + file + ": " + e.getMessage(), e);
    } catch (java.security.GeneralSecurityException e) {
      throw new ClientException(
          "the file " + file + " does not hold CA certificates in PEM: " + e.getMessage(), e);
    }
  }

  public URI base() {
    return base;
  }

  /** The same server with a device credential. */
  public ServerApi withCredentials(Credentials newCredentials) {
    return new ServerApi(base, http, newCredentials);
  }

  // ---- server

  /** GET /v1/server. */
  public ServerInfo server() {
    return call("GET", "/v1/server", null, ServerInfo.class, false);
  }

  // ---- accounts and devices

  public RegisterResponse register(RegisterRequest request) {
    return call("POST", "/v1/accounts", request, RegisterResponse.class, false);
  }

  public DeviceList me() {
    return call("GET", "/v1/accounts/me", null, DeviceList.class, true);
  }

  public DeviceList devices(AccountId account) {
    return call("GET", "/v1/accounts/" + account + "/devices", null, DeviceList.class, true);
  }

  /**
   * GET /v1/accounts/{accountId}/devices with the key-transparency search {@code search} (an
   * encoded SearchRequest) named, so that the answer may carry its proof ({@code ktSearch}).
   */
  public DeviceList devices(AccountId account, byte[] search) {
    return devices(account, search, false);
  }

  /**
   * {@link #devices(AccountId, byte[])}, asking with {@code bundles} also for the prekey bundles of
   * every device ({@code ?bundles=all}, the bundles {@link #bundles} would take: only for a first
   * contact, with no session to any device of the account).
   */
  public DeviceList devices(AccountId account, byte[] search, boolean bundles) {
    return call(
        "GET",
        "/v1/accounts/"
            + account
            + "/devices?ktSearch="
            + org.parley.protocol.Json.base64Url(search)
            + (bundles ? "&bundles=all" : ""),
        null,
        DeviceList.class,
        true);
  }

  public HandleLookup lookup(Handle handle) {
    return call("GET", "/v1/handles/" + handle, null, HandleLookup.class, true);
  }

  /**
   * GET /v1/handles/{handle} with the key-transparency search {@code search} of the handle's label
   * named, so that the answer may carry its proof ({@code ktSearch}).
   */
  public HandleLookup lookup(Handle handle, byte[] search) {
    return call(
        "GET",
        "/v1/handles/" + handle + "?ktSearch=" + org.parley.protocol.Json.base64Url(search),
        null,
        HandleLookup.class,
        true);
  }

  public void removeDevice(DeviceId device) {
    call("DELETE", "/v1/devices/" + device, null, Void.class, true);
  }

  // ---- keys

  public void uploadKeys(UploadKeysRequest request) {
    call("PUT", "/v1/keys", request, Void.class, true);
  }

  public KeyCounts keyStatus() {
    return call("GET", "/v1/keys/status", null, KeyCounts.class, true);
  }

  /** Bundles of one device; fetching consumes its one-time prekeys. */
  public PreKeyBundles bundle(AccountId account, DeviceId device) {
    return call("GET", "/v1/keys/" + account + "/" + device, null, PreKeyBundles.class, true);
  }

  /** Bundles of every device of an account; fetching consumes their one-time prekeys. */
  public PreKeyBundles bundles(AccountId account) {
    return call("GET", "/v1/keys/" + account + "/*", null, PreKeyBundles.class, true);
  }

  // ---- messages

  /**
   * Sends over the listener's open version 2 socket if there is one (no request of its own: the
   * socket is authenticated already), else {@code PUT /v1/messages/{to}}. A socket that ends before
   * the answer leaves it unknown whether the server stored the send, so it is sent again over HTTP:
   * a repeat reaches the recipient as the same message id, which it drops as a repeat.
   */
  public SendResponse send(AccountId to, SendRequest request) {
    RequestSocket open = socket;
    if (open != null && open.isOpen()) {
      try {
        BinaryFrame answer =
            open.call(id -> new BinaryFrame.Send(id, to, request), REQUEST_TIMEOUT);
        if (answer instanceof BinaryFrame.Sent sent) {
          return new SendResponse(sent.serverTimestamp(), sent.stored());
        }
        throw new ClientException("the server answered a send with " + answer);
      } catch (RequestSocket.Lost e) {
        // fall through to HTTP
      }
    }
    return call("PUT", "/v1/messages/" + to, request, SendResponse.class, true);
  }

  /**
   * {@code PUT /v1/messages/{to}/ephemeral}: pushed to the devices connected now, never stored
   * (typing indicators).
   */
  public SendResponse sendEphemeral(AccountId to, SendRequest request) {
    return call("PUT", "/v1/messages/" + to + "/ephemeral", request, SendResponse.class, true);
  }

  /** {@code POST /v1/messages/group/ephemeral}: a group's ephemeral message, never stored. */
  public org.parley.protocol.message.GroupSendResponse sendEphemeralToGroup(
      org.parley.protocol.message.GroupSendRequest request) {
    return call(
        "POST",
        "/v1/messages/group/ephemeral",
        request,
        org.parley.protocol.message.GroupSendResponse.class,
        true);
  }

  /**
   * {@code PUT /v1/messages/{to}/sealed} on {@code anonymous}, a client whose connections never
   * carried this device's credential, and without one: the delivery credentials are the admission.
   */
  public SendResponse sendSealed(
      AccountId to, org.parley.protocol.sealed.SealedSendRequest request, HttpClient anonymous) {
    return call(
        anonymous, "PUT", "/v1/messages/" + to + "/sealed", request, SendResponse.class, false);
  }

  /**
   * {@code POST /v1/messages/group/sealed} on {@code anonymous}, without a device credential: one
   * group message sealed once for every device named; refused accounts come back in the answer.
   */
  public org.parley.protocol.message.GroupSendResponse sendSealedToGroup(
      org.parley.protocol.sealed.SealedGroupSendRequest request, HttpClient anonymous) {
    return call(
        anonymous,
        "POST",
        "/v1/messages/group/sealed",
        request,
        org.parley.protocol.message.GroupSendResponse.class,
        false);
  }

  /** {@code GET /v1/certificate/trust-root}: the root of the server's sender certificates. */
  public org.parley.protocol.sealed.TrustRootResponse trustRoot() {
    return call(
        "GET",
        "/v1/certificate/trust-root",
        null,
        org.parley.protocol.sealed.TrustRootResponse.class,
        false);
  }

  /** {@code GET /v1/certificate/sender}: a sender certificate for this device. */
  public org.parley.protocol.sealed.SenderCertificateResponse senderCertificate() {
    return call(
        "GET",
        "/v1/certificate/sender",
        null,
        org.parley.protocol.sealed.SenderCertificateResponse.class,
        true);
  }

  /** {@code PUT /v1/devices/me/delivery-credential}: replaces this device's credential. */
  public void setDeliveryCredential(byte[] credential) {
    call(
        "PUT",
        "/v1/devices/me/delivery-credential",
        new org.parley.protocol.sealed.DeliveryCredential(credential),
        Void.class,
        true);
  }

  /**
   * {@code POST /v1/messages/group}: one group message for the devices of several accounts, in one
   * upload; accounts whose lists are stale or unknown come back in {@code refused}.
   */
  public org.parley.protocol.message.GroupSendResponse sendToGroup(
      org.parley.protocol.message.GroupSendRequest request) {
    return call(
        "POST",
        "/v1/messages/group",
        request,
        org.parley.protocol.message.GroupSendResponse.class,
        true);
  }

  /**
   * From now on, sends go over {@code open} (the listener's version 2 socket) while it is open;
   * null to stop.
   */
  public void useSocket(RequestSocket open) {
    this.socket = open;
  }

  public EnvelopeBatch messages(int limit) {
    return call("GET", "/v1/messages?limit=" + limit, null, EnvelopeBatch.class, true);
  }

  public void ack(List<String> ids) {
    call("POST", "/v1/messages/ack", new AckRequest(ids), Void.class, true);
  }

  // ---- linking

  public LinkCreated createLink(LinkRequest request) {
    return call("POST", "/v1/links", request, LinkCreated.class, false);
  }

  public LinkStatus linkStatus(LinkCode code, String password) {
    return call(
        "POST",
        "/v1/links/" + code + "/status",
        new LinkPollRequest(password),
        LinkStatus.class,
        false);
  }

  /** The new device accepts the account that approved it; only now is it added. */
  public LinkStatus acceptLink(LinkCode code, String password) {
    return call(
        "POST",
        "/v1/links/" + code + "/accept",
        new LinkPollRequest(password),
        LinkStatus.class,
        false);
  }

  /** The new device declines the account that approved it: it never becomes a device of it. */
  public void declineLink(LinkCode code, String password) {
    call(
        "POST", "/v1/links/" + code + "/decline", new LinkPollRequest(password), Void.class, false);
  }

  public LinkInfo linkInfo(LinkCode code) {
    return call("GET", "/v1/links/" + code, null, LinkInfo.class, true);
  }

  public LinkStatus approveLink(LinkCode code, ApproveLinkRequest request) {
    return call("POST", "/v1/links/" + code + "/approve", request, LinkStatus.class, true);
  }

  public void rejectLink(LinkCode code) {
    call("POST", "/v1/links/" + code + "/reject", null, Void.class, true);
  }

  // ---- WebSocket

  /** Opens /v1/websocket with this device's credential in the upgrade request. */
  public CompletableFuture<WebSocket> openSocket(WebSocket.Listener listener) {
    String scheme = base.getScheme().equalsIgnoreCase("https") ? "wss" : "ws";
    URI uri =
        URI.create(scheme + base.toString().substring(base.getScheme().length()) + "/v1/websocket");
    return http.newWebSocketBuilder()
        .header("Authorization", requireCredentials().authorizationHeader())
        // version 2 if the server speaks it; an older one answers without the header (version 1)
        .subprotocols(Subprotocol.V2.wireName(), Subprotocol.V1.wireName())
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(uri, listener);
  }

  /** Maps a failed WebSocket upgrade or connection to a client exception. */
  public ClientException socketFailure(Throwable failure) {
    Throwable cause =
        failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
      HttpResponse<?> response = handshake.getResponse();
      return error(response.statusCode(), response.headers(), bodyText(response.body()));
    }
    return new ServerUnreachableException(base.toString(), cause);
  }

  private static String bodyText(Object body) {
    if (body instanceof byte[] bytes) {
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
    return body == null ? "" : body.toString();
  }

  /** GET /v1/kt/config: the log's configuration, to pin on first use. */
  public KtConfig ktConfig() {
    return call("GET", "/v1/kt/config", null, KtConfig.class, false);
  }

  /** GET /v1/kt/auditor-heads: the latest signed head of each independent auditor. */
  public AuditorHeads ktAuditorHeads() {
    return call("GET", "/v1/kt/auditor-heads", null, AuditorHeads.class, false);
  }

  /**
   * GET /v1/kt/auditor-proof: what computes the root at {@code size} from the head of {@code last}.
   */
  public byte[] ktAuditorProof(long size, long last) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base + "/v1/kt/auditor-proof?size=" + size + "&last=" + last))
            .timeout(REQUEST_TIMEOUT)
            .GET()
            .build();
    try {
      HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        throw error(
            response.statusCode(),
            response.headers(),
            new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
      }
      return response.body();
    } catch (IOException e) {
      throw new ServerUnreachableException(base.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for the server", e);
    }
  }

  /**
   * One key-transparency query: the draft's request structure in, its response structure out, both
   * as raw bytes (docs/spec/api.md, "Key transparency").
   */
  public byte[] kt(String path, byte[] request) {
    return ktQuery(path, request)
        .orElseThrow(
            () -> new ClientException("the server answered /v1/kt/" + path + " without a body"));
  }

  /**
   * POST /v1/kt/update: the versions after the request's {@code greatest_version}, or empty when
   * the server answers 204 (there is none; docs/spec/api.md, "Key transparency").
   */
  public java.util.Optional<byte[]> ktUpdate(byte[] request) {
    return ktQuery("update", request);
  }

  private java.util.Optional<byte[]> ktQuery(String path, byte[] request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + "/v1/kt/" + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/octet-stream, application/json")
            .header("Authorization", requireCredentials().authorizationHeader())
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(request));
    HttpResponse<byte[]> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new ServerUnreachableException(base.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for the server", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw error(
          response.statusCode(),
          response.headers(),
          new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return response.statusCode() == 204
        ? java.util.Optional.empty()
        : java.util.Optional.of(response.body());
  }

  // ---- plumbing

  private Credentials requireCredentials() {
    if (credentials == null) {
      throw new IllegalStateException("this request needs a device credential");
    }
    return credentials;
  }

  private <T> T call(String method, String path, Object body, Class<T> answer, boolean auth) {
    return call(http, method, path, body, answer, auth);
  }

  private <T> T call(
      HttpClient http, String method, String path, Object body, Class<T> answer, boolean auth) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    if (auth) {
      request.header("Authorization", requireCredentials().authorizationHeader());
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException | ConnectException e) {
      throw new ServerUnreachableException(base.toString(), e);
    } catch (IOException e) {
      throw new ServerUnreachableException(base.toString(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClientException("interrupted while waiting for the server", e);
    }
    int status = response.statusCode();
    if (status / 100 != 2) {
      throw error(
          status,
          response.headers(),
          new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    if (answer == Void.class) {
      return null;
    }
    try {
      return Json.read(response.body(), answer);
    } catch (ProtocolException e) {
      throw new ClientException(
          "the server at "
              + base
              + " sent an answer this client cannot read ("
              + path
              + "): "
              + e.getMessage());
    }
  }

  private ServerException error(int status, HttpHeaders headers, String text) {
    ErrorResponse body = null;
    try {
      body = Json.read(text, ErrorResponse.class);
    } catch (RuntimeException e) {
      // not one of our error bodies (a proxy's page, say): described by the status alone
    }
    ErrorCode code = ErrorCode.INTERNAL_ERROR;
    String message = "the server answered HTTP " + status;
    if (body != null && body.code() != null) {
      try {
        code = ErrorCode.fromWireName(body.code());
      } catch (IllegalArgumentException e) {
        code = ErrorCode.INTERNAL_ERROR;
      }
      if (body.message() != null && !body.message().isBlank()) {
        message = body.message();
      }
    } else if (status == 401) {
      code = ErrorCode.UNAUTHORIZED;
    } else if (status == 404) {
      code = ErrorCode.NOT_FOUND;
    }
    Duration retryAfter =
        headers
            .firstValue("Retry-After")
            .flatMap(
                v -> {
                  try {
                    return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(v.strip())));
                  } catch (NumberFormatException e) {
                    return java.util.Optional.empty();
                  }
                })
            .orElse(null);
    return new ServerException(code, message, status, body, retryAfter);
  }
}
