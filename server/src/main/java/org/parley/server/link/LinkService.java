package org.parley.server.link;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.crypto.IdentityPublicKey;
import org.parley.crypto.Signatures;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.ErrorCode;
import org.parley.protocol.ProtocolException;
import org.parley.protocol.link.ApprovalStatement;
import org.parley.protocol.link.ApproveLinkRequest;
import org.parley.protocol.link.LinkApprover;
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
import org.parley.server.device.NewDevice;
import org.parley.server.device.PasswordHash;
import org.parley.server.http.Errors;
import org.parley.server.prekey.KeyVerifier;

/**
 * Adding a device: the new device creates a link and polls it; an existing device of the account
 * reads it and approves (with its identity key's signatures over the link approval statement and
 * the key-transparency device approval statement) or rejects it; the new device, shown who
 * approved, accepts (only then is it added) or declines.
 */
public final class LinkService {
  private final LinkStore links;
  private final AccountStore accounts;
  private final DeliveryBus bus;
  private final Duration ttl;
  private final Clock clock;
  private final Consumer<AccountId> ktChanged;

  /**
   * @param ktChanged told of each account a link added a device to (the key-transparency log proves
   *     the new version ahead of the epoch)
   */
  public LinkService(
      LinkStore links,
      AccountStore accounts,
      DeliveryBus bus,
      Duration ttl,
      Clock clock,
      Consumer<AccountId> ktChanged) {
    this.links = links;
    this.accounts = accounts;
    this.bus = bus;
    this.ttl = ttl;
    this.clock = clock;
    this.ktChanged = ktChanged;
  }

  public LinkCreated create(LinkRequest request) {
    KeyVerifier.verify(request.keys());
    long now = clock.millis();
    long expiresAt = now + ttl.toMillis();
    var device =
        new NewDevice(
            request.deviceName(), PasswordHash.of(request.password()), request.keys(), now);
    LinkCode code = LinkCode.random();
    links.create(
        new PendingLink(code, device, expiresAt, LinkStatus.State.PENDING, null, null, null));
    return new LinkCreated(code, expiresAt);
  }

  /** The new device's poll; a wrong password looks exactly like an unknown code. */
  public LinkStatus status(LinkCode code, String password) {
    PendingLink link = own(code, password);
    LinkStatus.State state = effectiveState(link);
    var handle =
        link.accountId() == null
            ? null
            : accounts.byId(link.accountId()).map(Account::handle).orElse(null);
    return switch (state) {
      case APPROVED -> {
        LinkApproval a = link.approval();
        yield new LinkStatus(
            state,
            link.accountId(),
            handle,
            null,
            new LinkApprover(a.approver(), a.approverKey(), a.linkSignature()));
      }
      case LINKED -> new LinkStatus(state, link.accountId(), handle, link.deviceId(), null);
      default -> new LinkStatus(state);
    };
  }

  public LinkInfo info(LinkCode code) {
    PendingLink link = open(code);
    var keys = link.device().keys();
    return new LinkInfo(
        link.code(),
        link.device().name(),
        keys.registrationId(),
        keys.identityKey(),
        link.expiresAt());
  }

  /**
   * An existing device's approval. It adds no device: the new device is shown the approving account
   * and device and must accept them ({@link #accept}), so a code approved into the wrong account
   * never becomes a device of it.
   */
  public LinkStatus approve(
      AuthenticatedDevice approver, LinkCode code, ApproveLinkRequest request) {
    PendingLink link = open(code);
    var handle = approver.account().handle();
    byte[] newKey = link.device().keys().identityKey();
    byte[] statement = ApprovalStatement.bytes(approver.accountId(), handle, link.code(), newKey);
    IdentityPublicKey approverKey = KeyVerifier.identityKey(approver.device().identityKey());
    if (!Signatures.verify(approverKey, statement, request.signature())) {
      throw new ProtocolException(
          ErrorCode.BAD_SIGNATURE,
          "the approval signature does not verify under your device's identity key");
    }
    if (!Signatures.verifyDeviceApproval(
        approverKey, approver.accountId(), newKey, request.ktApproval())) {
      throw new ProtocolException(
          ErrorCode.INVALID_APPROVAL,
          "ktApproval is not your device's signature over the device approval statement of this"
              + " account and the new device's key");
    }
    var approval =
        new LinkApproval(
            approver.device().id(),
            approver.device().identityKey(),
            request.signature(),
            request.ktApproval());
    boolean approved;
    try {
      approved = links.approve(link.code(), approver.accountId(), approval, clock.millis());
    } catch (ApproverRemovedException e) {
      throw Errors.unauthorized(); // removed while approving: its credential no longer works
    }
    if (!approved) {
      throw closed();
    }
    return new LinkStatus(LinkStatus.State.APPROVED, approver.accountId(), handle, null, null);
  }

  /**
   * The new device accepts the account that approved it: only now is it added. A retry after a lost
   * answer gets the same answer.
   */
  public LinkStatus accept(LinkCode code, String password) {
    PendingLink link = own(code, password);
    Optional<DeviceId> added;
    try {
      added = links.accept(link.code(), clock.millis());
    } catch (TooManyDevicesException e) {
      throw new ProtocolException(ErrorCode.TOO_MANY_DEVICES, e.getMessage());
    } catch (ApproverRemovedException e) {
      throw new ProtocolException(
          ErrorCode.LINK_CLOSED,
          "the device that approved this link was removed from its account; start a new link");
    }
    DeviceId deviceId = added.orElseThrow(LinkService::closed);
    bus.publish(new DeliveryEvent.DevicesChanged(link.accountId()));
    ktChanged.accept(link.accountId());
    var handle = accounts.byId(link.accountId()).map(Account::handle).orElse(null);
    return new LinkStatus(LinkStatus.State.LINKED, link.accountId(), handle, deviceId, null);
  }

  /** The new device declines the account that approved it (or gives up before an approval). */
  public void decline(LinkCode code, String password) {
    PendingLink link = own(code, password);
    if (effectiveState(link) == LinkStatus.State.EXPIRED || !links.decline(link.code())) {
      throw closed();
    }
  }

  public void reject(LinkCode code) {
    PendingLink link = links.get(code).orElseThrow(LinkService::unknown);
    LinkStatus.State state = effectiveState(link);
    if ((state != LinkStatus.State.PENDING && state != LinkStatus.State.APPROVED)
        || !links.reject(link.code())) {
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

  /** The link its new device asks about; a wrong password looks exactly like an unknown code. */
  private PendingLink own(LinkCode code, String password) {
    return links
        .get(code)
        .filter(l -> l.device().credential().matches(password))
        .orElseThrow(LinkService::unknown);
  }

  private LinkStatus.State effectiveState(PendingLink link) {
    boolean open =
        link.state() == LinkStatus.State.PENDING || link.state() == LinkStatus.State.APPROVED;
    if (open && clock.millis() >= link.expiresAt()) {
      return LinkStatus.State.EXPIRED;
    }
    return link.state();
  }

  private static ProtocolException unknown() {
    return new ProtocolException(ErrorCode.UNKNOWN_LINK, "no such link");
  }

  private static ProtocolException closed() {
    return new ProtocolException(
        ErrorCode.LINK_CLOSED,
        "this link was already approved, linked, rejected or declined, or has expired");
  }
}
