package org.parley.server.delivery;

import io.javalin.Javalin;
import io.javalin.websocket.WsBinaryMessageContext;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.websocket.server.JettyServerUpgradeRequest;
import org.parley.protocol.message.Envelope;
import org.parley.protocol.ws.CloseCode;
import org.parley.protocol.ws.Subprotocol;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.auth.Authenticator;
import org.parley.server.device.DeviceStore;
import org.parley.server.http.Errors;
import org.parley.server.message.MessageQueue;
import org.parley.server.message.MessageService;
import org.parley.server.prekey.PreKeyStore;

/**
 * GET /v1/websocket: authenticates the upgrade (401 before upgrading), then runs the device's
 * {@link Connection}: queued envelopes, {@code queue_empty}, live pushes, acknowledgements.
 */
public final class WebSocketEndpoint implements AutoCloseable {
  public static final String PATH = "/v1/websocket";
  private static final String DEVICE = "parley.device";
  private static final String VERSION = "parley.version";
  private static final String PROTOCOL_HEADER = "Sec-WebSocket-Protocol";

  /** Where Javalin 6 keeps the upgrade's context on the upgrade request (its WsContext). */
  static final String JAVALIN_UPGRADE_CONTEXT = "javalin-ws-upgrade-context";

  private final Authenticator auth;
  private final DeviceStore devices;
  private final MessageQueue queue;
  private final PreKeyStore preKeys;
  private final UnaryOperator<Envelope> delivered;
  private final MessageService messages;
  private final ConnectionRegistry registry;
  private final ConcurrentHashMap<String, Connection> bySession = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, SocketRequests> requests = new ConcurrentHashMap<>();

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
      UnaryOperator<Envelope> delivered,
      MessageService messages) {
    this.auth = auth;
    this.messages = messages;
    this.devices = devices;
    this.queue = queue;
    this.preKeys = preKeys;
    this.delivered = delivered;
    this.registry = new ConnectionRegistry(bus);
    bus.subscribe(registry);
  }

  public void install(Javalin app) {
    app.wsBeforeUpgrade(
        PATH,
        ctx -> {
          ctx.attribute(DEVICE, auth.require(ctx));
          Subprotocol version = negotiate(ctx.header(PROTOCOL_HEADER));
          ctx.attribute(VERSION, version);
          if (ctx.header(PROTOCOL_HEADER) != null) {
            ctx.header(PROTOCOL_HEADER, version.wireName()); // replaces Javalin's echo of the first
          }
        });
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
          ws.onMessage(this::text);
          ws.onBinaryMessage(this::binary);
          ws.onClose(this::closed);
          ws.onError(this::closed);
        });
  }

  private void open(WsContext ctx) {
    // The attributes are read from the upgrade request itself, and Javalin's copy of the
    // upgrade's context is dropped from it: either would keep the HTTP request, its channel and
    // parser reachable for the life of the socket (3.7 of 13.7 KB per idle connection in
    // bench/idle.sh). So no handler here may call a WsContext method that reads the upgrade
    // (attribute, header, pathParam, queryParam, cookie, matchedPath, sendAsClass): Javalin would
    // fail it with a NullPointerException.
    HttpServletRequest upgrade =
        ((JettyServerUpgradeRequest) ctx.session.getUpgradeRequest()).getHttpServletRequest();
    AuthenticatedDevice device = (AuthenticatedDevice) upgrade.getAttribute(DEVICE);
    upgrade.removeAttribute(JAVALIN_UPGRADE_CONTEXT);
    if (device == null) {
      ctx.closeSession(CloseCode.REMOVED.code(), "unauthorized");
      return;
    }
    ctx.enableAutomaticPings(30, TimeUnit.SECONDS);
    Subprotocol version = (Subprotocol) upgrade.getAttribute(VERSION);
    Connection connection =
        new Connection(
            device,
            ctx.session,
            version == null ? Subprotocol.V1 : version,
            queue,
            preKeys,
            delivered);
    bySession.put(ctx.sessionId(), connection);
    if (connection.version() == Subprotocol.V2) {
      requests.put(ctx.sessionId(), new SocketRequests(connection, messages, queue));
    }
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

  /**
   * The version an upgrade asks for: version 1 without the header, else the newest offered one.
   *
   * @throws org.parley.protocol.ProtocolException if the header names no version this server knows
   */
  static Subprotocol negotiate(String header) {
    if (header == null) {
      return Subprotocol.V1;
    }
    return Subprotocol.choose(java.util.Arrays.asList(header.split(",")))
        .orElseThrow(
            () ->
                Errors.invalidRequest(
                    "Sec-WebSocket-Protocol offers no version this server speaks: use parley.2"
                        + " or parley.1"));
  }

  private void text(WsMessageContext ctx) {
    Connection connection = withConnection(ctx);
    if (connection.version() == Subprotocol.V1) {
      connection.onText(ctx.message());
    } else {
      connection.close(1003, "version 2 uses binary frames only");
    }
  }

  private void binary(WsBinaryMessageContext ctx) {
    Connection connection = withConnection(ctx);
    SocketRequests handler = requests.get(ctx.sessionId());
    if (handler == null) {
      connection.onText("binary"); // version 1: answered as the unreadable text it is
      return;
    }
    byte[] bytes = ctx.data();
    int offset = ctx.offset();
    int length = ctx.length();
    if (offset != 0 || length != bytes.length) {
      bytes = java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }
    handler.onBinary(bytes);
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
    requests.remove(ctx.sessionId());
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
