package org.parley.server.meta;

import io.javalin.Javalin;
import org.parley.protocol.meta.Health;
import org.parley.protocol.meta.ServerInfo;
import org.parley.server.http.ApiException;
import org.parley.server.http.Bodies;
import org.parley.server.http.ErrorMapping;
import org.parley.server.storage.StorageHealth;

/**
 * GET /v1/server and GET /v1/health, the two endpoints without a credential. Health reads no
 * database: it says whether the last writes failed for lack of space ({@link StorageHealth}).
 */
public final class MetaHandler {
  private final ServerInfo info;
  private final StorageHealth storage;

  public MetaHandler(ServerInfo info, StorageHealth storage) {
    this.info = info;
    this.storage = storage;
  }

  public void install(Javalin app) {
    app.get("/v1/server", ctx -> Bodies.ok(ctx, info));
    app.get(
        "/v1/health",
        ctx -> {
          if (storage.full()) {
            ErrorMapping.answer(ctx, ApiException.storageFull());
          } else {
            Bodies.ok(ctx, Health.OK);
          }
        });
  }
}
