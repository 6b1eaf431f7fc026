package org.parley.server.link;

import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.link.LinkCode;
import org.parley.server.device.DeviceApproval;

/** Device links in progress. */
public interface LinkStore {
  void create(PendingLink link);

  Optional<PendingLink> get(LinkCode code);

  /**
   * In one transaction: if the link is pending and not expired at {@code now}, adds its device to
   * the account under the next unused device id (ids are never reused), stores the device's keys
   * and {@code approval}, and marks the link approved. The approving device must still be in the
   * account when the transaction commits.
   *
   * @return the new device's id; empty if the link was not pending (nothing changed)
   * @throws TooManyDevicesException if the account has used all device ids
   * @throws ApproverRemovedException if the approving device is no longer in the account
   */
  Optional<DeviceId> approve(LinkCode code, AccountId accountId, DeviceApproval approval, long now)
      throws TooManyDevicesException, ApproverRemovedException;

  /** Marks a pending link rejected; false if it was not pending. */
  boolean reject(LinkCode code);

  /** Deletes links that expired before {@code now}; returns how many. */
  int deleteExpired(long now);
}
