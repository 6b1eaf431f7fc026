package org.parley.server.account;

import org.parley.protocol.AccountId;

/** Registration proposed an account id that another account already has. */
public final class AccountIdTakenException extends Exception {
  public AccountIdTakenException(AccountId id) {
    super("the account id " + id + " is taken");
  }
}
