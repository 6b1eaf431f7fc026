package org.parley.server.message;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.parley.protocol.message.AckRequest;
import org.parley.protocol.message.SendRequest;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.Errors;
import org.parley.server.http.PathParams;

/**
 * PUT /v1/messages/{accountId}, POST /v1/messages/group, their ephemeral forms, GET /v1/messages,
 * POST /v1/messages/ack.
 */
public final class MessageHandler {
  private final Authenticator auth;
  private final MessageService service;
  private final EphemeralSends ephemeral;

  public MessageHandler(Authenticator auth, MessageService service, EphemeralSends ephemeral) {
    this.auth = auth;
    this.service = service;
    this.ephemeral = ephemeral;
  }

  public void install(Javalin app) {
    app.put("/v1/messages/{accountId}", this::send);
    app.put(
        "/v1/messages/{accountId}/ephemeral",
        ctx -> {
          var caller = auth.require(ctx);
          var recipient = PathParams.accountId(ctx);
          Bodies.ok(ctx, ephemeral.send(caller, recipient, Bodies.read(ctx, SendRequest.class)));
        });
    app.post(
        "/v1/messages/group/ephemeral",
        ctx -> {
          var caller = auth.require(ctx);
          Bodies.ok(
              ctx,
              ephemeral.sendToGroup(
                  caller, Bodies.read(ctx, org.parley.protocol.message.GroupSendRequest.class)));
        });
    app.post(
        "/v1/messages/group",
        ctx -> {
          var caller = auth.require(ctx);
          Bodies.ok(
              ctx,
              service.sendToGroup(
                  caller, Bodies.read(ctx, org.parley.protocol.message.GroupSendRequest.class)));
        });
    app.get(
        "/v1/messages",
        ctx -> {
          var caller = auth.require(ctx);
          Bodies.ok(ctx, service.fetch(caller, limit(ctx)));
        });
    app.post(
        "/v1/messages/ack",
        ctx -> {
          var caller = auth.require(ctx);
          service.acknowledge(caller, Bodies.read(ctx, AckRequest.class));
          Bodies.noContent(ctx);
        });
  }

  private void send(Context ctx) {
    var caller = auth.require(ctx);
    var recipient = PathParams.accountId(ctx);
    Bodies.ok(ctx, service.send(caller, recipient, Bodies.read(ctx, SendRequest.class)));
  }

  private static int limit(Context ctx) {
    String raw = ctx.queryParam("limit");
    if (raw == null) {
      return MessageService.DEFAULT_LIMIT;
    }
    try {
      int limit = org.parley.server.http.PathParams.decimal(raw);
      if (limit >= 1 && limit <= MessageService.MAX_LIMIT) {
        return limit;
      }
    } catch (IllegalArgumentException e) {
      // fall through
    }
    throw Errors.invalidRequest(
        "query parameter 'limit' must be an integer 1.." + MessageService.MAX_LIMIT);
  }
}
