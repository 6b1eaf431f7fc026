package org.parley.server.sealed;

import java.util.Map;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;

/**
 * The hashes of the delivery credentials devices registered (docs/spec/sealed-sender.md). A
 * device's row goes with the device.
 */
public interface DeliveryCredentialStore {
  /** Sets (or replaces) the credential hash of an existing device. */
  void set(AccountId account, DeviceId device, byte[] credentialHash);

  /** The credential hash of each of the account's devices that registered one. */
  Map<DeviceId, byte[]> hashes(AccountId account);

  /**
   * The same for several accounts at once (a group upload names up to thousands): each account's
   * map, empty for one whose devices registered none or that does not exist.
   */
  Map<AccountId, Map<DeviceId, byte[]>> hashes(java.util.Collection<AccountId> accounts);
}
