package org.parley.content.group;

import java.util.Objects;
import org.parley.protocol.AccountId;

/** One step of a group change, applied in order (docs/spec/groups.md, "Actions"). */
public sealed interface GroupAction {
  /** Adds a person who is not a member, as a member or an admin. */
  record Add(Member member) implements GroupAction {
    public Add {
      Objects.requireNonNull(member, "member");
    }
  }

  /** Removes a member; a member who is not an admin may remove only itself (leaving). */
  record Remove(AccountId account) implements GroupAction {
    public Remove {
      Objects.requireNonNull(account, "account");
    }
  }

  /** Makes a member an admin, or an admin a plain member. */
  record SetAdmin(AccountId account, boolean admin) implements GroupAction {
    public SetAdmin {
      Objects.requireNonNull(account, "account");
    }
  }

  /** Renames the group. */
  record Rename(String name) implements GroupAction {
    public Rename {
      Objects.requireNonNull(name, "name");
    }
  }

  /** Sets the disappearing-message timer in seconds; 0 turns it off. */
  record SetTimer(long seconds) implements GroupAction {}
}
