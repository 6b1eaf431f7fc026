package org.parley.content.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.content.ContentFormatException;
import org.parley.content.MimiCodec;
import org.parley.content.MimiContent;
import org.parley.content.ParleyUris;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;
import org.parley.protocol.cbor.CborWriter;

/**
 * The group's transport encodings (docs/spec/groups.md, "Transport"): control messages and states
 * decode to what was encoded, and nothing else decodes, so an added member cannot be handed a state
 * no change could have made.
 */
class GroupControlTest {
  private final GroupRulesTest.Devices devices = new GroupRulesTest.Devices();
  private final GroupRulesTest.Person alice = devices.person("alice");
  private final GroupRulesTest.Person bob = devices.person("bob");
  private final GroupId group = GroupId.random();

  private GroupState created() throws GroupChangeRefused {
    GroupChange create =
        alice.sign(
            group,
            1,
            null,
            new GroupAction.Add(alice.asMember(true)),
            new GroupAction.Add(bob.asMember(false)),
            new GroupAction.Rename("hikers"));
    return GroupRules.apply(null, create, devices);
  }

  @Test
  void aChangeWithTheStateItFollowsRoundTrips() throws Exception {
    GroupState state = created();
    GroupChange rename = alice.sign(group, 2, state.hash(), new GroupAction.Rename("walkers"));

    for (GroupControl control :
        List.of(
            new GroupControl.Change(rename, state),
            new GroupControl.Change(rename, null),
            new GroupControl.Distribution(ByteString.of(new byte[] {0x33, 1, 2})))) {
      assertThat(GroupControl.decode(control.encode())).isEqualTo(control);
    }
    GroupControl.Change decoded =
        (GroupControl.Change) GroupControl.decode(new GroupControl.Change(rename, state).encode());
    assertThat(decoded.before().hash()).isEqualTo(state.hash());
    assertThat(decoded.change().hash()).isEqualTo(rename.hash());
  }

  @Test
  void aStateOfAnotherGroupIsNotSentWithAChange() throws Exception {
    GroupState state = created();
    GroupChange elsewhere =
        alice.sign(GroupId.random(), 2, state.hash(), new GroupAction.Rename("x"));
    assertThatThrownBy(() -> new GroupControl.Change(elsewhere, state))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownKindsAndOtherEncodingsAreRefused() throws Exception {
    byte[] distribution =
        new GroupControl.Distribution(ByteString.of(new byte[] {1})).encode().clone();
    byte[] trailing = java.util.Arrays.copyOf(distribution, distribution.length + 1);
    CborWriter unknown = new CborWriter();
    unknown.writeArrayHeader(2).writeUnsigned(7).writeBytes(new byte[] {1});
    CborWriter wrongSize = new CborWriter();
    wrongSize.writeArrayHeader(3).writeUnsigned(GroupControl.DISTRIBUTION);
    wrongSize.writeBytes(new byte[] {1}).writeNull();

    for (byte[] bad : List.of(trailing, unknown.toByteArray(), wrongSize.toByteArray())) {
      assertThatThrownBy(() -> GroupControl.decode(bad)).isInstanceOf(CborException.class);
    }
  }

  @Test
  void aStateDecodesOnlyIfAChangeCouldHaveMadeIt() throws Exception {
    GroupState state = created();
    assertThat(GroupCodec.decodeState(state.encode())).isEqualTo(state);

    Member a = alice.asMember(true);
    Member b = bob.asMember(false);
    List<Member> sorted =
        a.account().value().compareTo(b.account().value()) < 0 ? List.of(a, b) : List.of(b, a);
    assertThatThrownBy(() -> GroupCodec.decodeState(encode(state, sorted.reversed(), "hikers")))
        .hasMessageContaining("deterministic");
    assertThatThrownBy(() -> GroupCodec.decodeState(encode(state, List.of(a, a), "hikers")))
        .hasMessageContaining("second entry");
    assertThatThrownBy(
            () -> GroupCodec.decodeState(encode(state, List.of(b.withAdmin(false)), "hikers")))
        .hasMessageContaining("no admin");
    assertThatThrownBy(() -> GroupCodec.decodeState(encode(state, sorted, " ")))
        .hasMessageContaining("name");
  }

  @Test
  void controlMessagesTravelInTheGroupsRoomAsMimiContent() throws Exception {
    GroupState state = created();
    var sender = ParleyUris.user(alice.handle().value());
    GroupControl control = new GroupControl.Distribution(ByteString.of(new byte[] {9}));

    MimiContent content =
        MimiCodec.decode(MimiCodec.encode(GroupContent.control(sender, group, control)));

    assertThat(GroupContent.room(group).value())
        .isEqualTo(
            "mimi://parley.invalid/r/group-"
                + java.util.HexFormat.of().formatHex(group.value().toByteArray()));
    assertThat(content.extensions().roomUri()).contains(GroupContent.room(group).value());
    assertThat(GroupContent.groupOf(GroupContent.room(group).value())).contains(group);
    assertThat(GroupContent.groupOf("mimi://example.org/r/group-00")).isEmpty();
    assertThat(GroupContent.groupOf(ParleyUris.directRoom("a@x.org", "b@x.org").value())).isEmpty();
    assertThat(GroupContent.control(content)).contains(control);
    assertThat(GroupContent.control(MimiContent.text(sender, GroupContent.room(group), "hi")))
        .isEmpty();

    MimiContent named =
        MimiCodec.decode(
            MimiCodec.encode(
                GroupContent.withState(
                    MimiContent.text(sender, GroupContent.room(group), "hi"), state)));
    assertThat(GroupContent.state(named).orElseThrow().names(state)).isTrue();
    assertThat(GroupContent.state(content)).isEmpty();
  }

  @Test
  void aControlPartThatDoesNotDecodeIsAContentError() {
    var sender = ParleyUris.user(alice.handle().value());
    MimiContent bad =
        MimiContent.of(
            sender,
            GroupContent.room(group),
            new org.parley.content.NestedPart(
                org.parley.content.Disposition.UNSPECIFIED,
                "",
                new org.parley.content.SinglePart(
                    GroupControl.CONTENT_TYPE, ByteString.of(new byte[] {1, 2}))));
    assertThatThrownBy(() -> GroupContent.control(bad)).isInstanceOf(ContentFormatException.class);
  }

  /** A state's encoding with the members in the given order, as a lying adder could write it. */
  private static byte[] encode(GroupState state, List<Member> members, String name) {
    CborWriter w = new CborWriter();
    w.writeArrayHeader(6).writeBytes(state.id().value()).writeUnsigned(state.version());
    w.writeNull().writeText(name).writeUnsigned(0).writeArrayHeader(members.size());
    for (Member m : members) {
      w.writeArrayHeader(3).writeText(m.account().value()).writeText(m.handle().value());
      w.writeBoolean(m.admin());
    }
    return w.toByteArray();
  }
}
