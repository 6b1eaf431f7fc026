package org.parley.server.account;

import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/** An account: a stable id, the handle people use to reach it, and when it was created. */
public record Account(AccountId id, Handle handle, long createdAt) {}
