package org.parley.server.misbehaviour;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.operator.LabelVersion;
import org.parley.keytrans.operator.LogRequestException;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.Validation;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.protocol.kt.MalformedValueException;
import org.parley.protocol.message.Envelope;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;
import org.parley.server.kt.OperatorHook;

/**
 * The test-only endpoints (docs/spec/api.md, "Test-only endpoints") that tell a {@link
 * MisbehavingOperator} how to lie. They exist only on a server running one: test code, started with
 * the switch; every other server answers 404.
 */
final class MisbehaviourRoutes {
  private final MisbehavingOperator operator;
  private final OperatorHook.Parts server;

  MisbehaviourRoutes(MisbehavingOperator operator, OperatorHook.Parts server) {
    this.operator = operator;
    this.server = server;
  }

  void install(Javalin app) {
    app.post("/v1/test/inject/{accountId}/{deviceId}", this::inject);
    app.post(
        "/v1/test/certificate-root/{accountId}",
        ctx -> {
          operator.certifyUnderAnotherRoot(PathParams.accountId(ctx));
          Bodies.noContent(ctx);
        });
    app.post(
        "/v1/test/relabel/{accountId}",
        ctx -> {
          AccountId account = PathParams.accountId(ctx);
          operator.relabel(account, Bodies.read(ctx, RelabelRequest.class).handle());
          Bodies.noContent(ctx);
        });
    app.post(
        "/v1/test/directory-key/{accountId}/{deviceId}",
        ctx -> {
          operator.directoryKey(
              PathParams.accountId(ctx),
              PathParams.deviceId(ctx),
              Bodies.read(ctx, DirectoryKeyRequest.class).identityKey());
          Bodies.noContent(ctx);
        });
    app.post(
        "/v1/test/register-as",
        ctx -> {
          operator.answerNextRegistrationAs(Bodies.read(ctx, RelabelRequest.class).handle());
          Bodies.noContent(ctx);
        });
    app.post(
        "/v1/test/kt/ghost/{accountId}",
        ctx -> {
          AccountId account = PathParams.accountId(ctx);
          operator.addGhostDevice(
              account,
              ctx.req().getContentLengthLong() > 0
                  ? Bodies.read(ctx, GhostRequest.class)
                  : new GhostRequest(null, null));
          server.kt().republish(account);
          Bodies.noContent(ctx);
        });
    app.post(
        "/v1/test/kt/tamper/{accountId}/{mode}",
        ctx -> {
          MisbehavingOperator.Tamper mode;
          try {
            mode = MisbehavingOperator.Tamper.valueOf(ctx.pathParam("mode"));
          } catch (IllegalArgumentException e) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "unknown tamper mode");
          }
          operator.tamperSearches(PathParams.accountId(ctx), mode);
          Bodies.noContent(ctx);
        });
    app.post(
        "/v1/test/kt/hide/{accountId}",
        ctx -> {
          operator.insertThenRemoveGhostVersion(PathParams.accountId(ctx));
          Bodies.noContent(ctx);
        });
    app.post("/v1/test/kt/revive/{accountId}/{deviceId}", this::revive);
  }

  /** Queues the forged envelope like a sent one, then tells the device's connection. */
  private void inject(Context ctx) {
    AccountId recipient = PathParams.accountId(ctx);
    DeviceId device = PathParams.deviceId(ctx);
    Envelope envelope =
        MisbehavingOperator.forge(Bodies.read(ctx, InjectRequest.class), server.clock().millis());
    if (server.store().messages().enqueueTo(recipient, device, envelope).isEmpty()) {
      throw server.store().accounts().byId(recipient).isEmpty()
          ? new ProtocolException(ErrorCode.UNKNOWN_ACCOUNT, "no such account")
          : new ProtocolException(ErrorCode.UNKNOWN_DEVICE, "the account has no device " + device);
    }
    server.bus().publish(new DeliveryEvent.EnvelopesAvailable(recipient, device));
    Bodies.ok(ctx, Map.of("id", envelope.id()));
  }

  /**
   * Brings back a removed device: its entry from the last published version of the account's list
   * that holds it, published again from the next epoch on (the account is queued, so that epoch
   * publishes it with no other change).
   */
  private void revive(Context ctx) throws LogRequestException {
    AccountId account = PathParams.accountId(ctx);
    DeviceId device = PathParams.deviceId(ctx);
    if (server.store().devices().device(account, device).isPresent()) {
      throw new ProtocolException(
          ErrorCode.DEVICE_PRESENT,
          "device " + device + " is still in the account; only a removed device is revived");
    }
    Optional<DeviceListValue.Entry> entry =
        server.kt().query((responder, log) -> lastPublished(log, account, device));
    if (entry.isEmpty()) {
      throw new ProtocolException(
          ErrorCode.UNKNOWN_DEVICE,
          "the log never published device " + device + " for this account");
    }
    operator.reviveDevice(account, entry.get());
    server.kt().republish(account);
    Bodies.noContent(ctx);
  }

  /** The device's entry in the greatest published version of the account's list that has one. */
  private static Optional<DeviceListValue.Entry> lastPublished(
      TransparencyLog log, AccountId account, DeviceId device) {
    Label label = new Label(KtLabels.account(account));
    for (long v = log.greatestVersion(label); v >= 0; v--) {
      Optional<LabelVersion> version = log.version(label, v);
      if (version.isEmpty()) {
        continue;
      }
      try {
        Optional<DeviceListValue.Entry> entry =
            DeviceListValue.decode(version.get().value().value()).entry(device);
        if (entry.isPresent()) {
          return entry;
        }
      } catch (MalformedValueException e) {
        // not a device list this server published: look further back
      }
    }
    return Optional.empty();
  }

  /** POST /v1/test/relabel/{accountId} and /v1/test/register-as: a handle to answer with. */
  public record RelabelRequest(Handle handle) {
    public RelabelRequest {
      Validation.required(handle, "handle");
    }
  }

  /** POST /v1/test/directory-key/{accountId}/{deviceId}: the key to list the device with. */
  public record DirectoryKeyRequest(byte[] identityKey) {
    public DirectoryKeyRequest {
      identityKey =
          Validation.bytes(
              identityKey,
              "identityKey",
              DeviceListValue.IDENTITY_KEY_LENGTH,
              DeviceListValue.IDENTITY_KEY_LENGTH);
    }
  }
}
