package org.parley.server.link;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkPollRequest;
import org.parley.protocol.link.LinkRequest;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;
import org.parley.server.http.RateLimiter;

/**
 * POST /v1/links, POST /v1/links/{code}/status, .../accept, .../decline (the new device, by its
 * password); GET /v1/links/{code}, .../approve, .../reject (a device of the account).
 */
public final class LinkHandler {
  private final Authenticator auth;
  private final LinkService service;
  private final RateLimiter creations;
  private final RateLimiter lookups;

  public LinkHandler(
      Authenticator auth, LinkService service, RateLimiter creations, RateLimiter lookups) {
    this.auth = auth;
    this.service = service;
    this.creations = creations;
    this.lookups = lookups;
  }

  public void install(Javalin app) {
    app.post("/v1/links", this::create);
    app.post(
        "/v1/links/{code}/status",
        ctx -> {
          var code = PathParams.linkCode(ctx);
          var poll = Bodies.read(ctx, LinkPollRequest.class);
          Bodies.ok(ctx, service.status(code, poll.password()));
        });
    app.post(
        "/v1/links/{code}/accept",
        ctx -> {
          var code = PathParams.linkCode(ctx);
          var poll = Bodies.read(ctx, LinkPollRequest.class);
          Bodies.ok(ctx, service.accept(code, poll.password()));
        });
    app.post(
        "/v1/links/{code}/decline",
        ctx -> {
          var code = PathParams.linkCode(ctx);
          var poll = Bodies.read(ctx, LinkPollRequest.class);
          service.decline(code, poll.password());
          Bodies.noContent(ctx);
        });
    app.get(
        "/v1/links/{code}",
        ctx -> {
          var caller = auth.require(ctx);
          lookups.acquire("link-info:" + caller.accountId());
          Bodies.ok(ctx, service.info(PathParams.linkCode(ctx)));
        });
    app.post(
        "/v1/links/{code}/approve",
        ctx -> {
          var caller = auth.require(ctx);
          var code = PathParams.linkCode(ctx);
          Bodies.ok(ctx, service.approve(caller, code, Bodies.read(ctx, ApproveLinkRequest.class)));
        });
    app.post(
        "/v1/links/{code}/reject",
        ctx -> {
          auth.require(ctx);
          service.reject(PathParams.linkCode(ctx));
          Bodies.noContent(ctx);
        });
  }

  private void create(Context ctx) {
    creations.acquire("link:" + ctx.req().getRemoteAddr());
    Bodies.json(ctx, 201, service.create(Bodies.read(ctx, LinkRequest.class)));
  }
}
