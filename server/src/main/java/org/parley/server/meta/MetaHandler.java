package org.parley.server.meta;

import io.javalin.Javalin;
import java.util.Map;
import org.parley.server.http.Bodies;

/** GET /v1/server and GET /v1/health, the two endpoints without a credential or a store. */
public final class MetaHandler {
  private final ServerInfo info;

  public MetaHandler(ServerInfo info) {
    this.info = info;
  }

  public void install(Javalin app) {
    app.get("/v1/server", ctx -> Bodies.ok(ctx, info));
    app.get("/v1/health", ctx -> Bodies.ok(ctx, Map.of("status", "ok")));
  }
}
