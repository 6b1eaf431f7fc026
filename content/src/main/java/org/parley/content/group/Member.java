package org.parley.content.group;

import java.util.Objects;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;

/** One member of a group: the account, the handle it was added by, and whether it is an admin. */
public record Member(AccountId account, Handle handle, boolean admin) {
  public Member {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(handle, "handle");
  }

  Member withAdmin(boolean admin) {
    return new Member(account, handle, admin);
  }
}
