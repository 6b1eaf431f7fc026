package org.parley.protocol.account;

import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/** GET /v1/handles/{handle}: which account a handle names. */
public record HandleLookup(Handle handle, AccountId accountId) {}
