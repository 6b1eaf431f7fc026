package org.parley.content.group;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborReader;
import org.parley.protocol.cbor.CborWriter;

/** The wire form of group changes (docs/spec/groups.md, "Encoding"); strict on decoding. */
public final class GroupCodec {
  static final int ADD = 0;
  static final int REMOVE = 1;
  static final int SET_ADMIN = 2;
  static final int RENAME = 3;
  static final int SET_TIMER = 4;

  /** At most this many actions in one change: a group's size, plus its name and timer. */
  static final int MAX_ACTIONS = GroupRules.MAX_MEMBERS + 2;

  private GroupCodec() {}

  static void writeAction(CborWriter w, GroupAction action) {
    switch (action) {
      case GroupAction.Add add -> {
        w.writeArrayHeader(4).writeUnsigned(ADD);
        w.writeText(add.member().account().value()).writeText(add.member().handle().value());
        w.writeBoolean(add.member().admin());
      }
      case GroupAction.Remove remove ->
          w.writeArrayHeader(2).writeUnsigned(REMOVE).writeText(remove.account().value());
      case GroupAction.SetAdmin set ->
          w.writeArrayHeader(3)
              .writeUnsigned(SET_ADMIN)
              .writeText(set.account().value())
              .writeBoolean(set.admin());
      case GroupAction.Rename rename ->
          w.writeArrayHeader(2).writeUnsigned(RENAME).writeText(rename.name());
      case GroupAction.SetTimer timer ->
          w.writeArrayHeader(2).writeUnsigned(SET_TIMER).writeUnsigned(timer.seconds());
    }
  }

  /** Decodes a change {@link GroupChange#encode()} made; anything else is refused. */
  public static GroupChange decode(byte[] encoded) throws CborException {
    CborReader outer = new CborReader(encoded);
    outer.readArrayHeader("change", 2);
    byte[] unsigned = outer.readByteArray("change.signed");
    ByteString signature = outer.readBytes("change.signature");
    outer.requireEnd("change");

    CborReader r = new CborReader(unsigned);
    r.readArrayHeader("change.signed", 7);
    GroupId group = new GroupId(r.readBytes("change.group", GroupId.SIZE));
    long version = r.readUnsigned("change.version", Long.MAX_VALUE);
    ByteString previous =
        r.tryReadNull("change.previous") ? null : r.readBytes("change.previous", 32);
    int count = r.readArrayHeader("change.actions");
    if (count > MAX_ACTIONS) {
      throw new CborException("change.actions: " + count + " actions, at most " + MAX_ACTIONS);
    }
    List<GroupAction> actions = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      actions.add(readAction(r, "change.actions[" + i + "]"));
    }
    AccountId author = account(r.readText("change.author"), "change.author");
    DeviceId device = device(r.readUnsigned("change.device", DeviceId.MAX), "change.device");
    ByteString key = r.readBytes("change.key");
    r.requireEnd("change.signed");
    GroupChange change =
        new GroupChange(group, version, previous, actions, author, device, key, signature);
    if (!Arrays.equals(change.encode(), encoded)) { // one encoding per change, signed as sent
      throw new CborException("change: not in its deterministic encoding");
    }
    return change;
  }

  /**
   * Decodes a state {@link GroupState#encode()} made (a member's own, or the one an adder sends a
   * new member); anything else, or a state no change could have made (two entries for one account,
   * more than {@link GroupRules#MAX_MEMBERS}, a bad name or timer, members and no admin), is
   * refused.
   */
  public static GroupState decodeState(byte[] encoded) throws CborException {
    CborReader r = new CborReader(encoded);
    r.readArrayHeader("state", 6);
    GroupId id = new GroupId(r.readBytes("state.id", GroupId.SIZE));
    long version = r.readUnsigned("state.version", Long.MAX_VALUE);
    ByteString previous =
        r.tryReadNull("state.previous") ? null : r.readBytes("state.previous", 32);
    String name = r.readText("state.name");
    long timer = r.readUnsigned("state.timer", GroupRules.MAX_TIMER_SECONDS);
    int count = r.readArrayHeader("state.members");
    if (count > GroupRules.MAX_MEMBERS) {
      throw new CborException(
          "state.members: " + count + " members, at most " + GroupRules.MAX_MEMBERS);
    }
    List<Member> members = new ArrayList<>(count);
    java.util.Set<AccountId> seen = new java.util.HashSet<>();
    for (int i = 0; i < count; i++) {
      String field = "state.members[" + i + "]";
      r.readArrayHeader(field, 3);
      AccountId account = account(r.readText(field + ".account"), field + ".account");
      Handle handle = handle(r.readText(field + ".handle"), field + ".handle");
      if (!seen.add(account)) {
        throw new CborException(field + ": a second entry for one account");
      }
      members.add(new Member(account, handle, r.readBoolean(field + ".admin")));
    }
    r.requireEnd("state");
    if (name.isBlank()
        || name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
            > GroupRules.MAX_NAME_OCTETS) {
      throw new CborException("state.name: 1 to " + GroupRules.MAX_NAME_OCTETS + " UTF-8 octets");
    }
    if (!members.isEmpty() && members.stream().noneMatch(Member::admin)) {
      throw new CborException("state.members: members and no admin");
    }
    GroupState state;
    try {
      state = new GroupState(id, version, previous, name, timer, members);
    } catch (IllegalArgumentException e) {
      throw new CborException("state: " + e.getMessage());
    }
    if (!Arrays.equals(state.encode(), encoded)) { // members out of order, or not deterministic
      throw new CborException("state: not in its deterministic encoding");
    }
    return state;
  }

  private static GroupAction readAction(CborReader r, String field) throws CborException {
    int size = r.readArrayHeader(field);
    int kind = (int) r.readUnsigned(field + ".kind", 255);
    int expected =
        switch (kind) {
          case ADD -> 4;
          case SET_ADMIN -> 3;
          case REMOVE, RENAME, SET_TIMER -> 2;
          default -> throw new CborException(field + ": unknown action " + kind);
        };
    if (size != expected) {
      throw new CborException(field + ": " + size + " elements, expected " + expected);
    }
    return switch (kind) {
      case ADD -> {
        AccountId account = account(r.readText(field + ".account"), field + ".account");
        Handle handle = handle(r.readText(field + ".handle"), field + ".handle");
        yield new GroupAction.Add(new Member(account, handle, r.readBoolean(field + ".admin")));
      }
      case REMOVE -> new GroupAction.Remove(account(r.readText(field + ".account"), field));
      case SET_ADMIN ->
          new GroupAction.SetAdmin(
              account(r.readText(field + ".account"), field), r.readBoolean(field + ".admin"));
      case RENAME -> new GroupAction.Rename(r.readText(field + ".name"));
      default -> new GroupAction.SetTimer(r.readUnsigned(field + ".seconds", Long.MAX_VALUE));
    };
  }

  private static AccountId account(String value, String field) throws CborException {
    try {
      return AccountId.of(value);
    } catch (IllegalArgumentException e) {
      throw new CborException(field + ": not an account id");
    }
  }

  private static Handle handle(String value, String field) throws CborException {
    try {
      return Handle.of(value);
    } catch (IllegalArgumentException e) {
      throw new CborException(field + ": not a handle");
    }
  }

  private static DeviceId device(long value, String field) throws CborException {
    try {
      return DeviceId.of((int) value);
    } catch (IllegalArgumentException e) {
      throw new CborException(field + ": not a device id");
    }
  }
}
