package org.parley.cli.json;

import java.util.List;
import org.parley.client.GroupInfo;

/**
 * A group ({@code parley group list/show/create/...}): id (64 hex), name, version, whether this
 * account is a member, and the members with who is an admin.
 */
public record Group(String id, String name, long version, boolean member, List<Member> members)
    implements JsonLine {
  /** One member. */
  public record Member(String handle, boolean admin) {}

  public static Group of(GroupInfo g) {
    return new Group(
        g.id(),
        g.name(),
        g.version(),
        g.member(),
        g.members().stream().map(m -> new Member(m.handle(), m.admin())).toList());
  }
}
