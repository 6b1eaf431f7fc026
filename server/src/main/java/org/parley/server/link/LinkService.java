package org.parley.server.link;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.Signatures;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.link.ApprovalStatement;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkCode;
import org.parley.protocol.link.LinkCreated;
import org.parley.protocol.link.LinkInfo;
import org.parley.protocol.link.LinkRequest;
import org.parley.protocol.link.LinkStatus;
import org.parley.server.account.Account;
import org.parley.server.account.AccountStore;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.delivery.DeliveryBus;
import org.parley.server.delivery.DeliveryEvent;
import org.parley.server.device.DeviceApproval;
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.http.Errors;
import org.parley.server.prekey.KeyVerifier;

/**
 * Adding a device: the new device creates a link and polls it; an existing device of the account
 * reads it and approves (with its identity key's signatures over the link approval statement and
 * the key-transparency device approval statement) or rejects it.
 */
public final class LinkService {
  private final LinkStore links;
  private final AccountStore accounts;
  private final DeliveryBus bus;
  private final Duration ttl;
  private final Clock clock;

  public LinkService(LinkStore links, AccountStore accounts, DeliveryBus bus, Duration ttl, Clock clock) {
    this.links = links;
    this.accounts = accounts;
    this.bus = bus;
    this.ttl = ttl;
    this.clock = clock;
  }

  public LinkCreated create(LinkRequest request) {
    KeyVerifier.verify(request.keys());
    long now = clock.millis();
    long expiresAt = now + ttl.toMillis();
    var device = new NewDevice(request.deviceName(), PasswordHash.of(request.password()), request.keys(), now);
    LinkCode code = LinkCode.random();
    links.create(new PendingLink(code, device, expiresAt, LinkStatus.State.PENDING, null, null));
    return new LinkCreated(code, expiresAt);
  }

  /** The new device's poll; a wrong password looks exactly like an unknown code. */
  public LinkStatus status(LinkCode code, String password) {
    PendingLink link = links.get(code).filter(l -> l.device().credential().matches(password))
        .orElseThrow(LinkService::unknown);
    LinkStatus.State state = effectiveState(link);
    if (state != LinkStatus.State.APPROVED) {
      return new LinkStatus(state, null, null, null);
    }
    var handle = accounts.byId(link.accountId()).map(Account::handle).orElse(null);
    return new LinkStatus(state, link.accountId(), handle, link.deviceId());
  }

  public LinkInfo info(LinkCode code) {
    PendingLink link = open(code);
    var keys = link.device().keys();
    return new LinkInfo(link.code(), link.device().name(), keys.registrationId(), keys.identityKey(), link.expiresAt());
  }

  public LinkStatus approve(AuthenticatedDevice approver, LinkCode code, ApproveLinkRequest request) {
    PendingLink link = open(code);
    byte[] statement = ApprovalStatement.bytes(approver.accountId(), link.code(), link.device().keys().identityKey());
    IdentityPublicKey approverKey = KeyVerifier.identityKey(approver.device().identityKey());
    if (!Signatures.verify(approverKey, statement, request.signature())) {
      throw new ProtocolException(
          ErrorCode.BAD_SIGNATURE, "the approval signature does not verify under your device's identity key");
    }
    if (!Signatures.verifyDeviceApproval(
        approverKey, approver.accountId(), link.device().keys().identityKey(), request.ktApproval())) {
      throw new ProtocolException(
          ErrorCode.INVALID_APPROVAL,
          "ktApproval is not your device's signature over the device approval statement of this"
              + " account and the new device's key");
    }
    var approval = new DeviceApproval(approver.device().id(), request.ktApproval());
    Optional<DeviceId> added;
    try {
      added = links.approve(link.code(), approver.accountId(), approval, clock.millis());
    } catch (TooManyDevicesException e) {
      throw new ProtocolException(ErrorCode.TOO_MANY_DEVICES, e.getMessage());
    } catch (ApproverRemovedException e) {
      throw Errors.unauthorized(); // removed while approving: its credential no longer works
    }
    DeviceId deviceId = added.orElseThrow(LinkService::closed);
    bus.publish(new DeliveryEvent.DevicesChanged(approver.accountId()));
    return new LinkStatus(LinkStatus.State.APPROVED, approver.accountId(), approver.account().handle(), deviceId);
  }

  public void reject(LinkCode code) {
    PendingLink link = open(code);
    if (!links.reject(link.code())) {
      throw closed();
    }
  }

  /** Deletes links that expired more than {@code grace} ago (their pollers have given up). */
  public int sweep(Duration grace) {
    return links.deleteExpired(clock.millis() - grace.toMillis());
  }

  private PendingLink open(LinkCode code) {
    PendingLink link = links.get(code).orElseThrow(LinkService::unknown);
    if (effectiveState(link) != LinkStatus.State.PENDING) {
      throw closed();
    }
    return link;
  }

  private LinkStatus.State effectiveState(PendingLink link) {
    if (link.state() == LinkStatus.State.PENDING && clock.millis() >= link.expiresAt()) {
      return LinkStatus.State.EXPIRED;
    }
    return link.state();
  }

  private static ProtocolException unknown() {
    return new ProtocolException(ErrorCode.UNKNOWN_LINK, "no such link");
  }

  private static ProtocolException closed() {
    return new ProtocolException(ErrorCode.LINK_CLOSED, "this link was already approved, rejected or has expired");
  }
}
