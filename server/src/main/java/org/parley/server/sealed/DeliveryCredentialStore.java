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
}
