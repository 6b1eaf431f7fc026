package org.parley.server.kt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.parley.server.account.Account;
import org.parley.server.device.Device;

/**
 * A pending account as the publisher reads it, all pending accounts of an epoch in one read: the
 * pending row, the account (empty if it no longer exists) and its devices by id.
 */
public record KtPendingAccount(KtPending pending, Optional<Account> account, List<Device> devices) {
  public KtPendingAccount {
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(account, "account");
    devices = List.copyOf(devices);
  }
}
