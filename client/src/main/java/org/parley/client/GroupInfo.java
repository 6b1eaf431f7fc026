package org.parley.client;

import java.util.List;
import org.parley.content.group.GroupState;
import org.parley.content.group.Member;

/**
 * A group as this device holds it: id (64 hex), name, version, members with who is an admin, and
 * whether this account is still a member (a removed member keeps the last state it saw).
 */
public record GroupInfo(
    String id, String name, long version, List<GroupMember> members, boolean member) {
  public GroupInfo {
    members = List.copyOf(members);
  }

  /** One member: handle, and whether an admin. */
  public record GroupMember(String handle, boolean admin) {}

  static GroupInfo of(GroupState state, org.parley.protocol.AccountId me) {
    return new GroupInfo(
        org.parley.client.store.GroupStore.key(state.id()),
        state.name(),
        state.version(),
        state.members().stream()
            .sorted(java.util.Comparator.comparing((Member m) -> m.handle().value()))
            .map(m -> new GroupMember(m.handle().value(), m.admin()))
            .toList(),
        state.member(me).isPresent());
  }

  /** The conversation key of the group's history: {@code group:} and its id. */
  public String conversation() {
    return Groups.CONVERSATION_PREFIX + id;
  }

  /** The conversation key of a group's history, from its id alone. */
  static String conversation(org.parley.content.group.GroupId group) {
    return Groups.CONVERSATION_PREFIX + org.parley.client.store.GroupStore.key(group);
  }
}
