package org.parley.server.kt;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.message.ContactMonitorRequest;
import org.parley.keytrans.message.OwnerInitRequest;
import org.parley.keytrans.message.OwnerMonitorRequest;
import org.parley.keytrans.message.SearchRequest;
import org.parley.keytrans.message.UpdateRequest;
import org.parley.keytrans.operator.LogRequestException;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.kt.AuditorHead;
import org.parley.protocol.kt.AuditorHeadResponse;
import org.parley.protocol.kt.AuditorHeads;
import org.parley.protocol.kt.KtConfig;
import org.parley.protocol.kt.KtLabels;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;

/**
 * The key-transparency endpoints (docs/spec/api.md, "Key transparency"). Queries carry the draft's
 * TLS-presentation structures as {@code application/octet-stream} bodies both ways; errors are the
 * usual JSON.
 */
public final class KtHandler {
  private static final String BINARY = "application/octet-stream";

  private final Authenticator auth;
  private final KtService kt;
  private final OperatorHook hook;

  /**
   * @param hook what search answers pass through ({@link OperatorHook#NONE} but in tests)
   */
  public KtHandler(Authenticator auth, KtService kt, OperatorHook hook) {
    this.auth = auth;
    this.kt = kt;
    this.hook = hook;
  }

  /**
   * The search that comes with what it proves ({@code ?ktSearch=} on GET
   * /v1/accounts/{accountId}/devices and GET /v1/handles/{handle}, docs/spec/api.md): {@code
   * encoded} is a base64url SearchRequest, which must be for {@code label}; the answer is the
   * SearchResponse {@code POST /v1/kt/search} would give it (through the same operator hook), or
   * none where that search would be refused (the client then asks it, and gets the refusal with its
   * meaning).
   *
   * <p>This checks the request; {@link #bundledSearch(SearchRequest)} answers it, so that a request
   * refused here is refused before anything else of it has run.
   *
   * @throws ProtocolException 400 invalid_request for a malformed request or another label than the
   *     account's or handle's the request is about
   */
  public SearchRequest bundledSearchRequest(Label label, String encoded) {
    SearchRequest request =
        decode(() -> SearchRequest.decode(org.parley.protocol.Json.fromBase64Url(encoded)));
    if (!request.label().equals(label)) {
      throw new ProtocolException(
          ErrorCode.INVALID_REQUEST,
          "ktSearch must be a search of the label of what this request is about");
    }
    return request;
  }

  /** The answer to a search {@link #bundledSearchRequest} accepted; empty where it is refused. */
  public java.util.Optional<byte[]> bundledSearch(SearchRequest request) {
    try {
      return java.util.Optional.of(
          kt.query(
              (r, log) -> hook.searched(request, r.search(request), log).encode(log.config())));
    } catch (LogRequestException e) {
      return java.util.Optional.empty();
    }
  }

  public void install(Javalin app) {
    app.get("/v1/kt/config", this::config);
    app.post(
        "/v1/kt/search",
        ctx -> {
          auth.require(ctx);
          SearchRequest request = decode(() -> SearchRequest.decode(Bodies.raw(ctx)));
          binary(
              ctx,
              kt.query(
                  (r, log) -> hook.searched(request, r.search(request), log).encode(log.config())));
        });
    app.post(
        "/v1/kt/monitor",
        ctx -> {
          auth.require(ctx);
          ContactMonitorRequest request =
              decode(() -> ContactMonitorRequest.decode(Bodies.raw(ctx)));
          binary(ctx, kt.query((r, log) -> r.contactMonitor(request).encode(log.config())));
        });
    app.post(
        "/v1/kt/owner/init",
        ctx -> {
          AuthenticatedDevice caller = auth.require(ctx);
          OwnerInitRequest request = decode(() -> OwnerInitRequest.decode(Bodies.raw(ctx)));
          requireOwn(caller, request.label());
          binary(ctx, kt.query((r, log) -> r.ownerInit(request).encode(log.config())));
        });
    app.post(
        "/v1/kt/owner/monitor",
        ctx -> {
          AuthenticatedDevice caller = auth.require(ctx);
          OwnerMonitorRequest request = decode(() -> OwnerMonitorRequest.decode(Bodies.raw(ctx)));
          requireOwn(caller, request.label());
          binary(ctx, kt.query((r, log) -> r.ownerMonitor(request).encode(log.config())));
        });
    app.post(
        "/v1/kt/update",
        ctx -> {
          AuthenticatedDevice caller = auth.require(ctx);
          UpdateRequest request = decode(() -> UpdateRequest.decode(Bodies.raw(ctx)));
          requireOwn(caller, request.label());
          // No version after greatest_version is a normal answer, 204 without a body (an up-to-date
          // owner asks this every time it checks), never an error told apart by its message.
          byte[] body =
              kt.query((r, log) -> r.update(request).map(u -> u.encode(log.config())).orElse(null));
          if (body == null) {
            Bodies.noContent(ctx);
          } else {
            binary(ctx, body);
          }
        });
    app.get(
        "/v1/kt/audit",
        ctx -> {
          long start = longParam(ctx, "start", 0);
          int limit =
              (int) Math.min(longParam(ctx, "limit", KtService.AUDIT_PAGE), KtService.AUDIT_PAGE);
          binary(ctx, kt.audit(start, Math.max(1, limit)));
        });
    app.get(
        "/v1/kt/auditor-proof",
        ctx ->
            binary(ctx, kt.auditorRootProof(longParam(ctx, "size", 0), longParam(ctx, "last", 0))));
    app.get(
        "/v1/kt/auditor-heads",
        ctx ->
            Bodies.ok(
                ctx,
                new AuditorHeads(
                    kt.auditorHeads().stream()
                        .map(
                            h ->
                                new AuditorHead(
                                    h.auditorPublicKey(),
                                    h.treeSize(),
                                    h.timestamp(),
                                    h.signature()))
                        .toList())));
    app.post(
        "/v1/kt/auditor-heads",
        ctx -> {
          AuditorHead body = Bodies.read(ctx, AuditorHead.class); // checks the fields it requires
          boolean kept;
          try {
            kept =
                kt.acceptAuditorHead(
                    body.auditorPublicKey(),
                    new org.parley.keytrans.head.AuditorTreeHead(
                        body.timestamp(), body.treeSize(), body.signature()));
          } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.BAD_SIGNATURE, e.getMessage());
          }
          Bodies.ok(ctx, new AuditorHeadResponse(kept));
        });
    app.exception(
        LogRequestException.class,
        (e, ctx) -> {
          ErrorCode code =
              switch (e.reason()) {
                case UNKNOWN_LABEL -> ErrorCode.UNKNOWN_LABEL;
                case UNKNOWN_VERSION -> ErrorCode.UNKNOWN_VERSION;
                case INVALID -> ErrorCode.INVALID_REQUEST;
                case UNKNOWN_TREE_SIZE -> ErrorCode.UNKNOWN_TREE_SIZE;
              };
          Bodies.json(
              ctx, code.httpStatus(), org.parley.protocol.ErrorResponse.of(code, e.getMessage()));
        });
  }

  private static long longParam(Context ctx, String name, long fallback) {
    String raw = ctx.queryParam(name);
    if (raw == null) {
      return fallback;
    }
    try {
      long value = Long.parseLong(raw);
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_REQUEST,
          "query parameter '" + name + "' must be a non-negative integer");
    }
  }

  private void config(Context ctx) {
    var config = kt.config();
    Bodies.ok(
        ctx,
        new KtConfig(
            config.encode(), config.suite().name(), kt.settings().epoch().toMillis(), kt.size()));
  }

  /** Owner operations are for the caller's own account and handle labels only. */
  private static void requireOwn(AuthenticatedDevice caller, Label label) {
    Label account = new Label(KtLabels.account(caller.account().id()));
    Label handle = new Label(KtLabels.handle(caller.account().handle()));
    if (!label.equals(account) && !label.equals(handle)) {
      throw new ProtocolException(
          ErrorCode.FORBIDDEN, "owner operations are only for your own account's labels");
    }
  }

  private interface Decoder<T> {
    T decode() throws MalformedEncodingException;
  }

  private static <T> T decode(Decoder<T> decoder) {
    try {
      return decoder.decode();
    } catch (MalformedEncodingException | IllegalArgumentException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_REQUEST, "malformed key-transparency request: " + e.getMessage());
    }
  }

  private static void binary(Context ctx, byte[] body) {
    ctx.status(200).contentType(BINARY).result(body);
  }
}
