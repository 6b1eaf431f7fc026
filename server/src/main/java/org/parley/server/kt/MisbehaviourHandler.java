package org.parley.server.kt;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.Handle;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.Validation;
import org.parley.protocol.message.Envelope;
import org.parley.server.account.AccountStore;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;
import org.parley.server.message.MessageQueue;

/**
 * The test-only misbehaviour endpoints outside the log (docs/spec/api.md, "Test-only
 * endpoints"): a forged envelope, and a relabelled sender. Installed only on a server started
 * with the switch; elsewhere the paths do not exist (404).
 */
public final class MisbehaviourHandler {
  private final Misbehaviour misbehaviour;
  private final AccountStore accounts;
  private final MessageQueue queue;
  private final DeliveryBus bus;
  private final Clock clock;

  public MisbehaviourHandler(Misbehaviour misbehaviour, AccountStore accounts, MessageQueue queue,
      DeliveryBus bus, Clock clock) {
    this.misbehaviour = misbehaviour;
    this.accounts = accounts;
    this.queue = queue;
    this.bus = bus;
    this.clock = clock;
  }

  public void install(Javalin app) {
    if (!misbehaviour.enabled()) {
      return;
    }
    app.post("/v1/test/inject/{accountId}/{deviceId}", this::inject);
    app.post("/v1/test/relabel/{accountId}", ctx -> {
      AccountId account = PathParams.accountId(ctx);
      misbehaviour.relabel(account, Bodies.read(ctx, RelabelRequest.class).handle());
      Bodies.noContent(ctx);
    });
    app.post("/v1/test/directory-key/{accountId}/{deviceId}", ctx -> {
      misbehaviour.directoryKey(PathParams.accountId(ctx), PathParams.deviceId(ctx),
          Bodies.read(ctx, DirectoryKeyRequest.class).identityKey());
      Bodies.noContent(ctx);
    });
    app.post("/v1/test/register-as", ctx -> {
      misbehaviour.answerNextRegistrationAs(Bodies.read(ctx, RelabelRequest.class).handle());
      Bodies.noContent(ctx);
    });
  }

  /** POST /v1/test/directory-key/{accountId}/{deviceId}: the key to list the device with. */
  public record DirectoryKeyRequest(byte[] identityKey) {
    public DirectoryKeyRequest {
      identityKey = Validation.bytes(identityKey, "identityKey",
          org.parley.protocol.kt.DeviceListValue.IDENTITY_KEY_LENGTH,
          org.parley.protocol.kt.DeviceListValue.IDENTITY_KEY_LENGTH);
    }
  }

  /** Queues the forged envelope like a sent one, then tells the device's connection. */
  private void inject(Context ctx) {
    AccountId recipient = PathParams.accountId(ctx);
    DeviceId device = PathParams.deviceId(ctx);
    Envelope envelope = misbehaviour.forge(Bodies.read(ctx, InjectRequest.class), clock.millis());
    if (queue.enqueueTo(recipient, device, envelope).isEmpty()) {
      throw accounts.byId(recipient).isEmpty()
          ? new ProtocolException(ErrorCode.UNKNOWN_ACCOUNT, "no such account")
          : new ProtocolException(ErrorCode.UNKNOWN_DEVICE, "the account has no device " + device);
    }
    bus.publish(new DeliveryEvent.EnvelopesAvailable(recipient, device));
    Bodies.ok(ctx, Map.of("id", envelope.id()));
  }

  /** POST /v1/test/relabel/{accountId}: the handle to deliver the account's envelopes under. */
  public record RelabelRequest(Handle handle) {
    public RelabelRequest {
      Validation.required(handle, "handle");
    }
  }
}
