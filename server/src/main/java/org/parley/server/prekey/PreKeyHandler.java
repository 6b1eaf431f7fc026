package org.parley.server.prekey;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.parley.protocol.DeviceId;
import org.parley.protocol.keys.UploadKeysRequest;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;

/** PUT /v1/keys, GET /v1/keys/status, GET /v1/keys/{accountId}/{deviceId|*}. */
public final class PreKeyHandler {
  private final Authenticator auth;
  private final PreKeyService service;

  public PreKeyHandler(Authenticator auth, PreKeyService service) {
    this.auth = auth;
    this.service = service;
  }

  public void install(Javalin app) {
    app.put("/v1/keys", this::upload);
    app.get("/v1/keys/status", ctx -> Bodies.ok(ctx, service.counts(auth.require(ctx))));
    app.get("/v1/keys/{accountId}/{deviceId}", this::fetch);
  }

  private void upload(Context ctx) {
    var caller = auth.require(ctx);
    service.upload(caller, Bodies.read(ctx, UploadKeysRequest.class));
    Bodies.noContent(ctx);
  }

  private void fetch(Context ctx) {
    var caller = auth.require(ctx);
    var target = PathParams.accountId(ctx);
    String rawDevice = ctx.pathParam("deviceId");
    DeviceId deviceId = rawDevice.equals("*") ? null : PathParams.deviceId(rawDevice);
    Bodies.ok(ctx, service.fetch(caller, target, deviceId));
  }
}
