package org.parley.server.device;

import java.util.List;
import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/** The devices of accounts. */
public interface DeviceStore {
  /**
   * The account's current devices, ordered by id, each with its approval ({@link Device#ktEntry()}
   * is its entry in the account's published device list); empty if the account does not exist.
   */
  List<Device> devices(AccountId accountId);

  Optional<Device> device(AccountId accountId, DeviceId deviceId);

  /**
   * Removes a device with everything that belongs to it (prekeys, queued envelopes), in one
   * transaction, so that its credential stops working and nothing more is queued for it. Refuses to
   * remove the account's last device; the check and the removal are one transaction, so two
   * concurrent removals (on any number of server nodes) can never leave an account without a
   * device.
   */
  Removal remove(AccountId accountId, DeviceId deviceId);

  /** What {@link #remove} did. */
  enum Removal {
    REMOVED,
    NO_SUCH_DEVICE,
    LAST_DEVICE
  }
}
