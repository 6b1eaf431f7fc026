package org.parley.protocol.account;

import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;

/** The answer to a registration: the new account and its first device. */
public record RegisterResponse(AccountId accountId, Handle handle, DeviceId deviceId) {}
