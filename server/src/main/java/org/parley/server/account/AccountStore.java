package org.parley.server.account;

import java.util.Optional;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.server.device.NewDevice;

/** Durable accounts and their handles. */
public interface AccountStore {
  /**
   * Creates the account together with its first device (device 1), that device's keys and its
   * approval of its own key ({@code selfApproval}, stored as a {@link
   * org.parley.server.device.DeviceApproval} by device 1), in one transaction.
   *
   * @throws HandleTakenException if another account already has the handle; nothing is stored
   * @throws AccountIdTakenException if another account already has the id; nothing is stored
   */
  void create(Account account, NewDevice firstDevice, byte[] selfApproval)
      throws HandleTakenException, AccountIdTakenException;

  Optional<Account> byId(AccountId id);

  Optional<Account> byHandle(Handle handle);
}
