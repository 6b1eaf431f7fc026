package org.parley.server.link;

import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.link.LinkCode;

/** Device links in progress. */
public interface LinkStore {
  void create(PendingLink link);

  Optional<PendingLink> get(LinkCode code);

  /**
   * If the link is pending and not expired at {@code now}, records {@code approval} by a device of
   * {@code accountId} and marks the link approved; adds no device (the new device must accept
   * first). The approving device must still be in the account when the transaction commits.
   *
   * @return false if the link was not pending (nothing changed)
   * @throws ApproverRemovedException if the approving device is no longer in the account
   */
  boolean approve(LinkCode code, AccountId accountId, LinkApproval approval, long now)
      throws ApproverRemovedException;

  /**
   * In one transaction: if the link is approved and not expired at {@code now}, adds its device to
   * the approving account under the lowest free device id and the account's next link serial, with
   * its keys and the approver's key-transparency approval (naming the approver's serial), and marks
   * the link linked. The approving device must still be in the account, with the key it approved
   * with, when the transaction commits.
   *
   * @return the new device's id (also when the link was already linked: a retried accept); empty if
   *     the link is in any other state (nothing changed)
   * @throws TooManyDevicesException if the account has 127 devices
   * @throws ApproverRemovedException if the approving device is no longer in the account
   */
  Optional<DeviceId> accept(LinkCode code, long now)
      throws TooManyDevicesException, ApproverRemovedException;

  /** Marks a pending or approved link rejected (by the account); false if it was neither. */
  boolean reject(LinkCode code);

  /** Marks a pending or approved link declined (by the new device); false if it was neither. */
  boolean decline(LinkCode code);

  /** Deletes links that expired before {@code now}; returns how many. */
  int deleteExpired(long now);
}
