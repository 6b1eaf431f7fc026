package org.parley.server.account;

import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.server.device.NewDevice;

/** Durable accounts and their handles. */
public interface AccountStore {
  /**
   * Creates the account together with its first device (device 1) and that device's keys, in one
   * transaction.
   *
   * @throws HandleTakenException if another account already has the handle; nothing is stored
   */
  void create(Account account, NewDevice firstDevice) throws HandleTakenException;

  Optional<Account> byId(AccountId id);

  Optional<Account> byHandle(Handle handle);
}
