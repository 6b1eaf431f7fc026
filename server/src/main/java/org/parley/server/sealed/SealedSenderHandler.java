package org.parley.server.sealed;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.SenderCertificates;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.message.RefusedRecipient;
import org.parley.protocol.sealed.DeliveryCredential;
import org.parley.protocol.sealed.SealedGroupRecipient;
import org.parley.protocol.sealed.SealedGroupSendRequest;
import org.parley.protocol.sealed.SealedMessage;
import org.parley.protocol.sealed.SealedSendRequest;
import org.parley.protocol.sealed.SenderCertificateResponse;
import org.parley.protocol.sealed.TrustRootResponse;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;
import org.parley.server.http.RateLimiter;
import org.parley.server.http.RateLimits;
import org.parley.server.message.AddressedEnvelope;
import org.parley.server.message.MessageService;
import org.parley.server.message.SharedPart;

/**
 * Sealed sender (docs/spec/sealed-sender.md): GET /v1/certificate/trust-root, GET
 * /v1/certificate/sender, PUT /v1/devices/me/delivery-credential, and the unauthenticated sealed
 * sends PUT /v1/messages/{accountId}/sealed and POST /v1/messages/group/sealed.
 */
public final class SealedSenderHandler {
  /** How long a sender certificate is valid: a day, so a removed device's lapses within one. */
  public static final Duration CERTIFICATE_LIFETIME = Duration.ofDays(1);

  private final Authenticator auth;
  private final SenderCertificates certificates;
  private final DeliveryCredentialStore credentials;
  private final MessageService messages;
  private final Clock clock;
  private final org.parley.server.kt.OperatorHook hook;
  private final RateLimiter perRecipient;
  private final RateLimiter perAddress;

  public SealedSenderHandler(
      Authenticator auth,
      SenderCertificates certificates,
      DeliveryCredentialStore credentials,
      MessageService messages,
      RateLimits limits,
      Clock clock,
      org.parley.server.kt.OperatorHook hook) {
    this.hook = hook;
    this.auth = auth;
    this.certificates = certificates;
    this.credentials = credentials;
    this.messages = messages;
    this.clock = clock;
    this.perRecipient =
        new RateLimiter(limits.sealedSendsPerRecipientPerMinute(), Duration.ofMinutes(1), clock);
    this.perAddress =
        new RateLimiter(limits.sealedSendsPerAddressPerMinute(), Duration.ofMinutes(1), clock);
  }

  public void install(Javalin app) {
    app.get(
        "/v1/certificate/trust-root",
        ctx -> Bodies.ok(ctx, new TrustRootResponse(certificates.trustRoot())));
    app.get(
        "/v1/certificate/sender",
        ctx -> {
          var caller = auth.require(ctx);
          long expires = clock.millis() + CERTIFICATE_LIFETIME.toMillis();
          byte[] certificate =
              certificates.issue(
                  caller.accountId(),
                  caller.deviceId(),
                  caller.account().handle(),
                  new IdentityPublicKey(caller.device().identityKey()),
                  expires);
          Bodies.ok(
              ctx,
              new SenderCertificateResponse(
                  hook.senderCertificate(caller.accountId(), certificate), expires));
        });
    app.put(
        "/v1/devices/me/delivery-credential",
        ctx -> {
          var caller = auth.require(ctx);
          DeliveryCredential body = Bodies.read(ctx, DeliveryCredential.class);
          credentials.set(caller.accountId(), caller.deviceId(), hash(body.credential()));
          Bodies.noContent(ctx);
        });
    app.put("/v1/messages/{accountId}/sealed", this::sendSealed);
    app.post("/v1/messages/group/sealed", this::sendSealedToGroup);
  }

  /**
   * A group message sealed once for every recipient device: the payload is split into each device's
   * share, and each account's devices are checked on their own, their credentials first; an account
   * refused (a wrong credential, a stale list) gets nothing and is named in the answer.
   */
  private void sendSealedToGroup(Context ctx) {
    perAddress.acquire(ctx.req().getRemoteAddr());
    SealedGroupSendRequest request = Bodies.read(ctx, SealedGroupSendRequest.class);
    MultiRecipientMessage payload;
    try {
      payload =
          MultiRecipientMessage.parse(request.payload(), SealedGroupSendRequest.MAX_RECIPIENTS);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(ErrorCode.INVALID_REQUEST, "field 'payload': " + e.getMessage());
    }
    List<MultiRecipientMessage.Recipient> shares = payload.recipients();
    if (shares.size() != request.recipients().size()) {
      throw new ProtocolException(
          ErrorCode.INVALID_REQUEST,
          "the payload has "
              + shares.size()
              + " recipients and 'recipients' "
              + request.recipients().size()
              + "; they name the same devices in the same order");
    }
    Map<AccountId, List<Integer>> byAccount = new LinkedHashMap<>();
    for (int i = 0; i < shares.size(); i++) {
      SealedGroupRecipient named = request.recipients().get(i);
      List<MultiRecipientMessage.Device> devices = shares.get(i).devices();
      if (devices.size() != 1 || devices.getFirst().deviceId() != named.deviceId().value()) {
        throw new ProtocolException(
            ErrorCode.INVALID_REQUEST,
            "recipient "
                + i
                + " of the payload is not device "
                + named.deviceId()
                + " alone, as 'recipients' names it");
      }
      byAccount.computeIfAbsent(named.accountId(), a -> new ArrayList<>()).add(i);
    }
    long now = clock.millis();
    SharedPart shared = SharedPart.of(payload.sharedPart()); // stored once for every envelope
    List<MessageService.AccountEnvelopes> accepted = new ArrayList<>();
    List<RefusedRecipient> refused = new ArrayList<>();
    Map<AccountId, Map<DeviceId, byte[]>> hashes = credentials.hashes(byAccount.keySet());
    for (Map.Entry<AccountId, List<Integer>> e : byAccount.entrySet()) {
      Map<DeviceId, byte[]> registered = hashes.get(e.getKey());
      List<AddressedEnvelope> envelopes = new ArrayList<>(e.getValue().size());
      boolean admitted = true;
      for (int i : e.getValue()) {
        SealedGroupRecipient named = request.recipients().get(i);
        if (!admits(registered, named.deviceId(), named.deliveryCredential())) {
          admitted = false;
          break;
        }
        MultiRecipientMessage.Recipient share = shares.get(i);
        envelopes.add(
            MessageService.sealed(
                named.deviceId(),
                share.devices().getFirst().registrationId(),
                request.timestamp(),
                now,
                payload.messageFor(share, shared.bytes()),
                shared));
      }
      if (admitted) {
        perRecipient.acquire(e.getKey().value()); // as for a sealed send: after the credentials
        accepted.add(new MessageService.AccountEnvelopes(e.getKey(), null, Set.of(), envelopes));
      } else {
        refused.add(
            new RefusedRecipient(
                e.getKey(), ErrorCode.DELIVERY_CREDENTIAL_REFUSED, null, null, null));
      }
    }
    Bodies.ok(ctx, messages.sendSealedToGroup(accepted, refused));
  }

  private static boolean admits(Map<DeviceId, byte[]> registered, DeviceId device, byte[] given) {
    byte[] expected = registered.get(device);
    return expected != null && MessageDigest.isEqual(expected, hash(given));
  }

  /**
   * No Authorization: the delivery credential of every addressed device is the only admission. A
   * wrong one, an unknown device and an unknown account are the same refusal, so a stranger learns
   * nothing of the account; only a sender holding every credential learns its device list, or
   * spends the recipient's allowance of sealed sends.
   */
  private void sendSealed(Context ctx) {
    AccountId recipient = PathParams.accountId(ctx);
    perAddress.acquire(ctx.req().getRemoteAddr());
    SealedSendRequest request = Bodies.read(ctx, SealedSendRequest.class);
    Map<DeviceId, byte[]> registered = credentials.hashes(recipient);
    for (SealedMessage m : request.messages()) {
      if (!admits(registered, m.deviceId(), m.deliveryCredential())) {
        throw new ProtocolException(
            ErrorCode.DELIVERY_CREDENTIAL_REFUSED,
            "a delivery credential is not the one the device gave out; nothing was stored."
                + " Send this message without sealing it");
      }
    }
    // only now: a stranger without the credentials cannot spend the recipient's allowance
    perRecipient.acquire(recipient.value());
    Bodies.ok(ctx, messages.sendSealed(recipient, request));
  }

  /** What the server keeps of a credential: its SHA-256 hash. */
  public static byte[] hash(byte[] credential) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(credential);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
