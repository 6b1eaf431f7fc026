package org.parley.server.account;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.message.SearchRequest;
import org.parley.protocol.AccountId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.HandleLookup;
import org.parley.protocol.account.RegisterRequest;
import org.parley.protocol.keys.DeviceBundle;
import org.parley.protocol.kt.KtLabels;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;
import org.parley.server.http.RateLimiter;

/**
 * POST /v1/accounts, GET /v1/accounts/me, GET /v1/accounts/{accountId}/devices, GET
 * /v1/handles/{handle}.
 */
public final class AccountHandler {
  private final Authenticator auth;
  private final AccountService service;
  private final RateLimiter registrations;
  private final RateLimiter lookups;
  private final RateLimiter deviceLists;

  private final UnaryOperator<DeviceList> served;
  private final UnaryOperator<DeviceList> servedToOwner;
  private final UnaryOperator<org.parley.protocol.account.RegisterResponse> registered;
  private final Bundled bundled;

  /**
   * What a look-up or a device list can bring with it so that the client needs no request of its
   * own for it (docs/spec/api.md, "Proofs come with what they prove").
   */
  public interface Bundled {
    /**
     * The search {@code encoded} names ({@code ?ktSearch=}), checked to be of {@code label}: {@code
     * KtHandler#bundledSearchRequest}; a 400 if not.
     */
    SearchRequest request(Label label, String encoded);

    /** The answer to {@code request}: {@code KtHandler#bundledSearch}; empty if the log refuses. */
    Optional<byte[]> search(SearchRequest request);

    /**
     * The bundles {@code GET /v1/keys/{account}/*} would hand {@code caller} now, taken under the
     * same limits ({@code ?bundles=all}); empty where those limits refuse the fetch.
     */
    Optional<List<DeviceBundle>> bundles(AuthenticatedDevice caller, AccountId account);
  }

  /** The bundle fetch runs beside the proof: one waits on the store's writer, the other on CPU. */
  private static final ExecutorService BESIDE = Executors.newVirtualThreadPerTaskExecutor();

  /**
   * @param served what the answers of GET /v1/accounts/{accountId}/devices pass through: the
   *     identity, except under a test's {@link org.parley.server.kt.OperatorHook}
   * @param servedToOwner the same for GET /v1/accounts/me
   * @param registered the same for the answer to a registration
   * @param bundled answers what a look-up or device-list request asks to come with it
   */
  public AccountHandler(
      Authenticator auth,
      AccountService service,
      RateLimiter registrations,
      RateLimiter lookups,
      RateLimiter deviceLists,
      UnaryOperator<DeviceList> served,
      UnaryOperator<DeviceList> servedToOwner,
      UnaryOperator<org.parley.protocol.account.RegisterResponse> registered,
      Bundled bundled) {
    this.bundled = bundled;
    this.auth = auth;
    this.service = service;
    this.registrations = registrations;
    this.lookups = lookups;
    this.deviceLists = deviceLists;
    this.served = served;
    this.servedToOwner = servedToOwner;
    this.registered = registered;
  }

  public void install(Javalin app) {
    app.post("/v1/accounts", this::register);
    app.get(
        "/v1/accounts/me",
        ctx -> {
          var caller = auth.require(ctx);
          Bodies.ok(ctx, servedToOwner.apply(service.devices(caller, caller.accountId())));
        });
    app.get(
        "/v1/accounts/{accountId}/devices",
        ctx -> {
          var caller = auth.require(ctx);
          var account = PathParams.accountId(ctx);
          if (!account.equals(caller.accountId())) {
            deviceLists.acquire(caller.accountId().value());
          }
          // every part of the request is checked before any bundle is taken: a refused request
          // spends none of the account's one-time keys
          Optional<SearchRequest> search = searchOf(ctx, new Label(KtLabels.account(account)));
          Future<Optional<List<DeviceBundle>>> taken =
              wantsBundles(ctx)
                  ? BESIDE.submit(() -> bundled.bundles(caller, account))
                  : CompletableFuture.completedFuture(Optional.empty());
          // the proof is made before the list is read: a list changed in between is newer than
          // the proof, which the client then asks again (it waits for devices the log lacks)
          Optional<byte[]> proof = search.flatMap(bundled::search);
          DeviceList list = served.apply(service.devices(caller, account));
          list = proof.map(list::withKtSearch).orElse(list);
          Bodies.ok(ctx, join(taken).map(list::withBundles).orElse(list));
        });
    app.get(
        "/v1/handles/{handle}",
        ctx -> {
          var caller = auth.require(ctx);
          lookups.acquire(caller.accountId().value());
          Handle handle = PathParams.handle(ctx);
          HandleLookup found = service.lookup(handle);
          Optional<byte[]> proof =
              searchOf(ctx, new Label(KtLabels.handle(handle))).flatMap(bundled::search);
          Bodies.ok(ctx, proof.map(found::withKtSearch).orElse(found));
        });
  }

  /** The search {@code ?ktSearch=} names, which must be of {@code label}; empty without one. */
  private Optional<SearchRequest> searchOf(Context ctx, Label label) {
    String encoded = ctx.queryParam("ktSearch");
    return encoded == null ? Optional.empty() : Optional.of(bundled.request(label, encoded));
  }

  /** {@code ?bundles=all}; any other value is refused, so that a typo does not go unnoticed. */
  private static boolean wantsBundles(Context ctx) {
    String value = ctx.queryParam("bundles");
    if (value == null) {
      return false;
    }
    if (!value.equals("all")) {
      throw new ProtocolException(ErrorCode.INVALID_REQUEST, "bundles must be 'all' if given");
    }
    return true;
  }

  private static <T> T join(Future<T> task) throws Exception {
    try {
      return task.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private void register(Context ctx) {
    registrations.acquire("register:" + ctx.req().getRemoteAddr());
    Bodies.json(
        ctx, 201, registered.apply(service.register(Bodies.read(ctx, RegisterRequest.class))));
  }
}
