package org.parley.server.account;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.UnaryOperator;
import org.parley.protocol.account.DeviceList;
import org.parley.protocol.account.RegisterRequest;
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
  private final BundledSearch bundledSearch;

  /** Answers {@code ?ktSearch=} for an account's label: {@code KtHandler#bundledSearch}. */
  @FunctionalInterface
  public interface BundledSearch {
    java.util.Optional<byte[]> answer(org.parley.protocol.AccountId account, String encoded);
  }

  /**
   * @param served what the answers of GET /v1/accounts/{accountId}/devices pass through: the
   *     identity, except under a test's {@link org.parley.server.kt.OperatorHook}
   * @param servedToOwner the same for GET /v1/accounts/me
   * @param registered the same for the answer to a registration
   * @param bundledSearch answers the search a device-list request names ({@code ?ktSearch=})
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
      BundledSearch bundledSearch) {
    this.bundledSearch = bundledSearch;
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
          String search = ctx.queryParam("ktSearch");
          // the proof is made before the list is read: a list changed in between is newer than
          // the proof, which the client then asks again (it waits for devices the log lacks)
          java.util.Optional<byte[]> proof =
              search == null ? java.util.Optional.empty() : bundledSearch.answer(account, search);
          DeviceList list = served.apply(service.devices(caller, account));
          Bodies.ok(ctx, proof.map(list::withKtSearch).orElse(list));
        });
    app.get(
        "/v1/handles/{handle}",
        ctx -> {
          var caller = auth.require(ctx);
          lookups.acquire(caller.accountId().value());
          Bodies.ok(ctx, service.lookup(PathParams.handle(ctx)));
        });
  }

  private void register(Context ctx) {
    registrations.acquire("register:" + ctx.req().getRemoteAddr());
    Bodies.json(
        ctx, 201, registered.apply(service.register(Bodies.read(ctx, RegisterRequest.class))));
  }
}
