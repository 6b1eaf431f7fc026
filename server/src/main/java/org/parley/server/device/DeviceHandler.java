package org.parley.server.device;

import io.javalin.Javalin;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;

/** DELETE /v1/devices/{deviceId}. */
public final class DeviceHandler {
  private final Authenticator auth;
  private final DeviceService service;

  public DeviceHandler(Authenticator auth, DeviceService service) {
    this.auth = auth;
    this.service = service;
  }

  public void install(Javalin app) {
    app.delete(
        "/v1/devices/{deviceId}",
        ctx -> {
          var caller = auth.require(ctx);
          service.remove(caller, PathParams.deviceId(ctx));
          Bodies.noContent(ctx);
        });
  }
}
