package org.parley.server.sealed;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.SenderCertificates;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.sealed.DeliveryCredential;
import org.parley.protocol.sealed.SealedMessage;
import org.parley.protocol.sealed.SealedSendRequest;
import org.parley.protocol.sealed.SenderCertificateResponse;
import org.parley.protocol.sealed.TrustRootResponse;
import org.parley.server.auth.Authenticator;
import org.parley.server.http.Bodies;
import org.parley.server.http.PathParams;
import org.parley.server.http.RateLimiter;
import org.parley.server.http.RateLimits;
import org.parley.server.message.MessageService;

/**
 * Sealed sender (docs/spec/sealed-sender.md): GET /v1/certificate/trust-root, GET
 * /v1/certificate/sender, PUT /v1/devices/me/delivery-credential, and the unauthenticated sealed
 * send PUT /v1/messages/{accountId}/sealed.
 */
public final class SealedSenderHandler {
  /** How long a sender certificate is valid: a day, so a removed device's lapses within one. */
  public static final Duration CERTIFICATE_LIFETIME = Duration.ofDays(1);

  private final Authenticator auth;
  private final SenderCertificates certificates;
  private final DeliveryCredentialStore credentials;
  private final MessageService messages;
  private final Clock clock;
  private final RateLimiter perRecipient;
  private final RateLimiter perAddress;

  public SealedSenderHandler(
      Authenticator auth,
      SenderCertificates certificates,
      DeliveryCredentialStore credentials,
      MessageService messages,
      RateLimits limits,
      Clock clock) {
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
          Bodies.ok(ctx, new SenderCertificateResponse(certificate, expires));
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
  }

  /**
   * No Authorization: the delivery credential of every addressed device is the only admission. A
   * wrong one, an unknown device and an unknown account are the same refusal, so a stranger learns
   * nothing of the account; only a sender holding every credential learns its device list.
   */
  private void sendSealed(Context ctx) {
    AccountId recipient = PathParams.accountId(ctx);
    perAddress.acquire(ctx.req().getRemoteAddr());
    perRecipient.acquire(recipient.value());
    SealedSendRequest request = Bodies.read(ctx, SealedSendRequest.class);
    Map<DeviceId, byte[]> registered = credentials.hashes(recipient);
    for (SealedMessage m : request.messages()) {
      byte[] expected = registered.get(m.deviceId());
      if (expected == null || !MessageDigest.isEqual(expected, hash(m.deliveryCredential()))) {
        throw new ProtocolException(
            ErrorCode.DELIVERY_CREDENTIAL_REFUSED,
            "a delivery credential is not the one the device gave out; nothing was stored."
                + " Send this message without sealing it");
      }
    }
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
