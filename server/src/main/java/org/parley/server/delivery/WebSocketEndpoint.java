package org.parley.server.delivery;

import io.javalin.Javalin;
import io.javalin.websocket.WsContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.ws.CloseCode;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.auth.Authenticator;
import org.parley.server.device.DeviceStore;
import org.parley.server.http.Errors;
import org.parley.server.message.MessageQueue;
import org.parley.server.prekey.PreKeyStore;

/**
 * GET /v1/websocket: authenticates the upgrade (401 before upgrading), then runs the device's
 * {@link Connection}: queued envelopes, {@code queue_empty}, live pushes, acknowledgements.
 */
public final class WebSocketEndpoint implements AutoCloseable {
  public static final String PATH = "/v1/websocket";
  private static final String DEVICE = "parley.device";

  private final Authenticator auth;
  private final DeviceStore devices;
  private final MessageQueue queue;
  private final PreKeyStore preKeys;
  private final UnaryOperator<Envelope> delivered;
  private final ConnectionRegistry registry;
  private final ConcurrentHashMap<String, Connection> bySession = new ConcurrentHashMap<>();

  /**
   * @param delivered what pushed envelopes pass through: the identity, except under a test's {@link
   *     org.parley.server.kt.OperatorHook}
   */
  public WebSocketEndpoint(
      Authenticator auth,
      DeviceStore devices,
      MessageQueue queue,
      PreKeyStore preKeys,
      DeliveryBus bus,
      UnaryOperator<Envelope> delivered) {
    this.auth = auth;
    this.devices = devices;
    this.queue = queue;
    this.preKeys = preKeys;
    this.delivered = delivered;
    this.registry = new ConnectionRegistry(bus);
    bus.subscribe(registry);
  }

  public void install(Javalin app) {
    app.wsBeforeUpgrade(PATH, ctx -> ctx.attribute(DEVICE, auth.require(ctx)));
    app.get(
        PATH,
        ctx -> {
          auth.require(ctx);
          throw Errors.invalidRequest("this endpoint is a WebSocket: send an upgrade request");
        });
    app.ws(
        PATH,
        ws -> {
          ws.onConnect(this::open);
          ws.onMessage(ctx -> withConnection(ctx).onText(ctx.message()));
          ws.onBinaryMessage(ctx -> withConnection(ctx).onText("binary"));
          ws.onClose(this::closed);
          ws.onError(this::closed);
        });
  }

  private void open(WsContext ctx) {
    AuthenticatedDevice device = ctx.attribute(DEVICE);
    if (device == null) {
      ctx.closeSession(CloseCode.REMOVED.code(), "unauthorized");
      return;
    }
    ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
    Connection connection = new Connection(device, ctx, queue, preKeys, delivered);
    bySession.put(ctx.sessionId(), connection);
    registry.register(connection);
    // A removal that committed between authentication and registration published its event
    // before this connection could hear it: check again now that it is registered.
    if (devices.device(device.accountId(), device.deviceId()).isEmpty()) {
      registry.unregister(connection);
      connection.close(CloseCode.REMOVED);
      return;
    }
    connection.start();
  }

  private Connection withConnection(WsContext ctx) {
    Connection connection = bySession.get(ctx.sessionId());
    if (connection == null) {
      throw new IllegalStateException("message on an unregistered WebSocket");
    }
    return connection;
  }

  private void closed(WsContext ctx) {
    Connection connection = bySession.remove(ctx.sessionId());
    if (connection != null) {
      ctx.disableAutomaticPings();
      registry.unregister(connection);
      connection.closed();
    }
  }

  @Override
  public void close() {
    registry.closeAll();
    bySession.clear();
  }
}
