package org.parley.content.group;

import static org.parley.content.group.GroupChangeRefused.Reason.BAD_SIGNATURE;
import static org.parley.content.group.GroupChangeRefused.Reason.INVALID;
import static org.parley.content.group.GroupChangeRefused.Reason.NOT_ALLOWED;
import static org.parley.content.group.GroupChangeRefused.Reason.NOT_NEXT_VERSION;
import static org.parley.content.group.GroupChangeRefused.Reason.OTHER_PREVIOUS_STATE;
import static org.parley.content.group.GroupChangeRefused.Reason.WRONG_GROUP;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.parley.protocol.AccountId;

/**
 * How a member device moves its group state by a change (docs/spec/groups.md, "Applying a change").
 * Only an admin's signed change moves it, by exactly one version, from exactly the state the member
 * holds: the server, which relays changes, can neither forge one nor replay, reorder or fork them
 * unseen.
 */
public final class GroupRules {
  /** Members a group may have (Signal's limit is 1,001, WhatsApp's 1,024). */
  public static final int MAX_MEMBERS = 1_024;

  /** A group name's limit in UTF-8 octets. */
  public static final int MAX_NAME_OCTETS = 256;

  /** The longest disappearing-message timer: a year. */
  public static final long MAX_TIMER_SECONDS = 366L * 24 * 3600;

  private GroupRules() {}

  /**
   * The state after {@code change}.
   *
   * @param current the member's state, or null for a change that creates the group
   * @throws GroupChangeRefused if the change does not apply; {@code current} is unchanged
   */
  public static GroupState apply(GroupState current, GroupChange change, SignatureCheck check)
      throws GroupChangeRefused {
    if (current == null) {
      if (change.version() != 1 || change.previous() != null) {
        throw new GroupChangeRefused(NOT_NEXT_VERSION, "a group is created by version 1 alone");
      }
    } else {
      if (!change.group().equals(current.id())) {
        throw new GroupChangeRefused(WRONG_GROUP, "the change is for another group");
      }
      if (change.version() != current.version() + 1) {
        throw new GroupChangeRefused(
            NOT_NEXT_VERSION,
            "version " + change.version() + " does not follow " + current.version());
      }
      if (!current.hash().equals(change.previous())) {
        throw new GroupChangeRefused(
            OTHER_PREVIOUS_STATE, "it follows another state than this member's");
      }
    }
    if (!check.verify(
        change.author(),
        change.authorDevice(),
        change.authorKey(),
        change.signedBytes(),
        change.signature())) {
      throw new GroupChangeRefused(
          BAD_SIGNATURE, "not signed by the proven key of the author's device");
    }
    if (change.actions().isEmpty()) {
      throw new GroupChangeRefused(INVALID, "a change has at least one action");
    }
    AccountId author = change.author();
    if (current != null && current.member(author).isEmpty()) {
      throw new GroupChangeRefused(NOT_ALLOWED, "the author is not a member");
    }
    boolean leaving =
        change.actions().size() == 1
            && change.actions().get(0) instanceof GroupAction.Remove r
            && r.account().equals(author);
    if (current != null && !current.isAdmin(author) && !leaving) {
      throw new GroupChangeRefused(
          NOT_ALLOWED, "only an admin changes a group; a member may leave");
    }
    GroupState next = applyActions(current, change);
    if (current == null && !next.isAdmin(author)) {
      throw new GroupChangeRefused(NOT_ALLOWED, "the creator must be an admin of the group");
    }
    return next;
  }

  /** Of two valid changes to one state, the one every member keeps: the smaller hash. */
  public static GroupChange preferred(GroupChange a, GroupChange b) {
    return a.hash().compareTo(b.hash()) <= 0 ? a : b;
  }

  private static GroupState applyActions(GroupState current, GroupChange change)
      throws GroupChangeRefused {
    Map<AccountId, Member> members = new LinkedHashMap<>();
    String name = "";
    long timer = 0;
    if (current != null) {
      current.members().forEach(m -> members.put(m.account(), m));
      name = current.name();
      timer = current.timerSeconds();
    }
    for (GroupAction action : change.actions()) {
      switch (action) {
        case GroupAction.Add add -> {
          if (members.putIfAbsent(add.member().account(), add.member()) != null) {
            throw new GroupChangeRefused(INVALID, "added a member twice");
          }
        }
        case GroupAction.Remove remove -> {
          if (members.remove(remove.account()) == null) {
            throw new GroupChangeRefused(INVALID, "removed someone who is not a member");
          }
        }
        case GroupAction.SetAdmin set -> {
          Member m = members.get(set.account());
          if (m == null) {
            throw new GroupChangeRefused(INVALID, "made a non-member admin");
          }
          members.put(set.account(), m.withAdmin(set.admin()));
        }
        case GroupAction.Rename rename -> {
          if (rename.name().isBlank()
              || rename.name().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_OCTETS) {
            throw new GroupChangeRefused(
                INVALID, "a group name is 1 to " + MAX_NAME_OCTETS + " UTF-8 octets");
          }
          name = rename.name();
        }
        case GroupAction.SetTimer set -> {
          if (set.seconds() < 0 || set.seconds() > MAX_TIMER_SECONDS) {
            throw new GroupChangeRefused(INVALID, "the timer is 0 to " + MAX_TIMER_SECONDS + " s");
          }
          timer = set.seconds();
        }
      }
    }
    if (members.size() > MAX_MEMBERS) {
      throw new GroupChangeRefused(INVALID, "a group has at most " + MAX_MEMBERS + " members");
    }
    if (name.isEmpty()) {
      throw new GroupChangeRefused(INVALID, "a group has a name");
    }
    List<Member> list = List.copyOf(members.values());
    if (!list.isEmpty() && list.stream().noneMatch(Member::admin)) {
      throw new GroupChangeRefused(INVALID, "a group with members keeps at least one admin");
    }
    return new GroupState(
        change.group(),
        change.version(),
        current == null ? null : current.hash(),
        name,
        timer,
        list);
  }
}
