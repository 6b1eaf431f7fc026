package org.parley.protocol.account;

import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.protocol.Validation;
import org.parley.protocol.keys.DeviceKeys;

/**
 * POST /v1/accounts: creates an account with its first device (device 1). {@code password} is the
 * device's credential, chosen by the client: 22-128 characters, at least 128 bits of randomness.
 *
 * <p>The client picks the account id (a random UUID) so that device 1 can sign {@code ktApproval},
 * its identity key's signature over {@link org.parley.protocol.kt.DeviceApprovalStatement}(account
 * id, its own identity key), before the account exists; the server refuses an id already in use.
 */
public record RegisterRequest(
    Handle handle,
    AccountId accountId,
    String password,
    String deviceName,
    DeviceKeys keys,
    byte[] ktApproval) {
  public RegisterRequest {
    Validation.required(handle, "handle");
    Validation.required(accountId, "accountId");
    Credentials.checkPassword(password);
    deviceName = DeviceName.check(deviceName);
    Validation.required(keys, "keys");
    ktApproval = Validation.bytes(ktApproval, "ktApproval", 64, 64);
  }
}
