package org.parley.content.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.content.group.GroupChangeRefused.Reason;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.ByteString;

/**
 * The group rules against the changes a lying server or a member overstepping could send: each
 * refused with its reason, the member's state untouched. Signatures here are JDK Ed25519, standing
 * in for libsignal's XEdDSA, which the client uses; the rules only ask a {@link SignatureCheck}.
 */
class GroupRulesTest {
  /** Devices with keys; the check accepts a key only as the one registered for its device. */
  static final class Devices implements SignatureCheck {
    private final Map<String, KeyPair> keys = new HashMap<>();

    Person person(String name) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        AccountId account = AccountId.random();
        KeyPair pair = generator.generateKeyPair();
        keys.put(account.value() + "/1", pair);
        return new Person(account, Handle.of(name + "@example.org"), DeviceId.of(1), pair, this);
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public boolean verify(
        AccountId author, DeviceId device, ByteString key, byte[] message, ByteString signature) {
      KeyPair proven = keys.get(author.value() + "/" + device.value());
      if (proven == null || !ByteString.of(proven.getPublic().getEncoded()).equals(key)) {
        return false;
      }
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(proven.getPublic());
        s.update(message);
        return s.verify(signature.toByteArray());
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }

  record Person(AccountId account, Handle handle, DeviceId device, KeyPair keys, Devices devices) {
    Member asMember(boolean admin) {
      return new Member(account, handle, admin);
    }

    GroupChange sign(GroupId group, long version, ByteString previous, GroupAction... actions) {
      GroupChange unsigned =
          new GroupChange(
              group,
              version,
              previous,
              List.of(actions),
              account,
              device,
              ByteString.of(keys.getPublic().getEncoded()),
              ByteString.EMPTY);
      try {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(unsigned.signedBytes());
        return unsigned.signed(ByteString.of(s.sign()));
      } catch (GeneralSecurityException e) {
        throw new AssertionError(e);
      }
    }

    GroupChange next(GroupState state, GroupAction... actions) {
      return sign(state.id(), state.version() + 1, state.hash(), actions);
    }
  }

  private final Devices devices = new Devices();
  private final Person alice = devices.person("alice");
  private final Person bob = devices.person("bob");
  private final Person carol = devices.person("carol");
  private final GroupId id = GroupId.random();

  private GroupState created() throws GroupChangeRefused {
    return GroupRules.apply(
        null,
        alice.sign(
            id,
            1,
            null,
            new GroupAction.Add(alice.asMember(true)),
            new GroupAction.Add(bob.asMember(false)),
            new GroupAction.Rename("climbing")),
        devices);
  }

  @Test
  void aCreatedGroupHasItsCreatorAsAdminAndEachChangeNamesTheStateItFollows() throws Exception {
    GroupState v1 = created();
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.previous()).isNull();
    assertThat(v1.name()).isEqualTo("climbing");
    assertThat(v1.isAdmin(alice.account())).isTrue();
    assertThat(v1.isAdmin(bob.account())).isFalse();

    GroupState v2 =
        GroupRules.apply(v1, alice.next(v1, new GroupAction.Add(carol.asMember(false))), devices);
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.previous()).isEqualTo(v1.hash());
    assertThat(v2.member(carol.account())).isPresent();
    assertThat(v2.hash()).isNotEqualTo(v1.hash());
  }

  @Test
  void onlyAnAdminChangesTheGroupAndAMemberMayOnlyLeave() throws Exception {
    GroupState v1 = created();
    assertRefused(v1, bob.next(v1, new GroupAction.Add(carol.asMember(false))), Reason.NOT_ALLOWED);
    assertRefused(
        v1, bob.next(v1, new GroupAction.SetAdmin(bob.account(), true)), Reason.NOT_ALLOWED);
    assertRefused(v1, bob.next(v1, new GroupAction.Rename("mine")), Reason.NOT_ALLOWED);
    assertRefused(v1, bob.next(v1, new GroupAction.Remove(alice.account())), Reason.NOT_ALLOWED);

    GroupState v2 =
        GroupRules.apply(v1, bob.next(v1, new GroupAction.Remove(bob.account())), devices);
    assertThat(v2.member(bob.account())).isEmpty();
  }

  @Test
  void aServerCannotAddAMemberWithoutAnAdminsProvenKey() throws Exception {
    GroupState v1 = created();
    // a change in alice's name signed with another key (the server's, or a ghost device's)
    Person impostor =
        new Person(alice.account(), alice.handle(), alice.device(), carol.keys(), devices);
    assertRefused(
        v1, impostor.next(v1, new GroupAction.Add(carol.asMember(false))), Reason.BAD_SIGNATURE);
    // a device alice does not have
    Person ghost =
        new Person(alice.account(), alice.handle(), DeviceId.of(7), alice.keys(), devices);
    assertRefused(
        v1, ghost.next(v1, new GroupAction.Add(carol.asMember(false))), Reason.BAD_SIGNATURE);
    // a non-member signing for itself
    assertRefused(
        v1, carol.next(v1, new GroupAction.Add(carol.asMember(true))), Reason.NOT_ALLOWED);
    // one byte of a genuine change altered in transit
    GroupChange genuine = alice.next(v1, new GroupAction.Add(carol.asMember(false)));
    byte[] signature = genuine.signature().toByteArray();
    signature[5] ^= 1;
    assertRefused(v1, genuine.signed(ByteString.of(signature)), Reason.BAD_SIGNATURE);
  }

  @Test
  void aReplayedSkippedOrForkedChangeIsRefused() throws Exception {
    GroupState v1 = created();
    GroupChange toV2 = alice.next(v1, new GroupAction.Add(carol.asMember(false)));
    GroupState v2 = GroupRules.apply(v1, toV2, devices);
    assertRefused(v2, toV2, Reason.NOT_NEXT_VERSION); // replayed
    assertRefused(
        v1,
        alice.sign(id, 3, v1.hash(), new GroupAction.Rename("later")),
        Reason.NOT_NEXT_VERSION); // skips a version
    GroupChange otherV2 = alice.next(v1, new GroupAction.Rename("elsewhere"));
    GroupState forked = GroupRules.apply(v1, otherV2, devices);
    assertRefused(
        forked, alice.next(v2, new GroupAction.Rename("on v2")), Reason.OTHER_PREVIOUS_STATE);
    assertRefused(
        v1,
        alice.sign(GroupId.random(), 2, v1.hash(), new GroupAction.Rename("x")),
        Reason.WRONG_GROUP);
  }

  @Test
  void twoConcurrentChangesResolveToTheSameOneOnEveryMember() throws Exception {
    GroupState v1 = created();
    GroupState admins =
        GroupRules.apply(
            v1, alice.next(v1, new GroupAction.SetAdmin(bob.account(), true)), devices);
    GroupChange a = alice.next(admins, new GroupAction.Rename("by alice"));
    GroupChange b = bob.next(admins, new GroupAction.Add(carol.asMember(false)));
    assertThat(GroupRules.preferred(a, b)).isSameAs(GroupRules.preferred(b, a));
    GroupState kept = GroupRules.apply(admins, GroupRules.preferred(a, b), devices);
    assertThat(kept.version()).isEqualTo(3);
  }

  @Test
  void theLastAdminCannotLeaveOthersWithoutOne() throws Exception {
    GroupState v1 = created();
    assertRefused(v1, alice.next(v1, new GroupAction.Remove(alice.account())), Reason.INVALID);
    GroupState v2 =
        GroupRules.apply(
            v1,
            alice.next(
                v1,
                new GroupAction.SetAdmin(bob.account(), true),
                new GroupAction.Remove(alice.account())),
            devices);
    assertThat(v2.isAdmin(bob.account())).isTrue();
    assertThat(v2.member(alice.account())).isEmpty();
  }

  @Test
  void invalidActionsAreRefusedWholeAndLeaveTheStateAsItWas() throws Exception {
    GroupState v1 = created();
    assertRefused(v1, alice.next(v1, new GroupAction.Add(bob.asMember(false))), Reason.INVALID);
    assertRefused(v1, alice.next(v1, new GroupAction.Remove(carol.account())), Reason.INVALID);
    assertRefused(
        v1, alice.next(v1, new GroupAction.SetAdmin(carol.account(), true)), Reason.INVALID);
    assertRefused(v1, alice.next(v1, new GroupAction.Rename(" ")), Reason.INVALID);
    assertRefused(v1, alice.next(v1, new GroupAction.Rename("x".repeat(257))), Reason.INVALID);
    assertRefused(v1, alice.next(v1, new GroupAction.SetTimer(-1)), Reason.INVALID);
    assertRefused(v1, alice.next(v1), Reason.INVALID);
    assertThatThrownBy(
            () ->
                GroupRules.apply(
                    null,
                    alice.sign(
                        id,
                        1,
                        null,
                        new GroupAction.Add(bob.asMember(true)),
                        new GroupAction.Rename("n")),
                    devices))
        .isInstanceOf(GroupChangeRefused.class)
        .extracting(e -> ((GroupChangeRefused) e).reason())
        .isEqualTo(Reason.NOT_ALLOWED); // a creator not among the admins
  }

  @Test
  void aGroupHoldsAtMost1024Members() throws Exception {
    GroupState v1 = created();
    List<GroupAction> adds = new ArrayList<>();
    for (int i = 0; i < GroupRules.MAX_MEMBERS - 2; i++) {
      adds.add(
          new GroupAction.Add(
              new Member(AccountId.random(), Handle.of("m" + i + "@example.org"), false)));
    }
    GroupState full =
        GroupRules.apply(v1, alice.next(v1, adds.toArray(GroupAction[]::new)), devices);
    assertThat(full.members()).hasSize(GroupRules.MAX_MEMBERS);
    assertRefused(
        full, alice.next(full, new GroupAction.Add(carol.asMember(false))), Reason.INVALID);
  }

  @Test
  void aChangeDecodesToItselfAndOnlyFromItsOwnEncoding() throws Exception {
    GroupState v1 = created();
    GroupChange change =
        alice.next(
            v1,
            new GroupAction.Add(carol.asMember(true)),
            new GroupAction.Remove(bob.account()),
            new GroupAction.SetAdmin(carol.account(), false),
            new GroupAction.Rename("renamed"),
            new GroupAction.SetTimer(3600));
    byte[] encoded = change.encode();
    assertThat(GroupCodec.decode(encoded)).isEqualTo(change);
    assertThat(GroupRules.apply(v1, GroupCodec.decode(encoded), devices).name())
        .isEqualTo("renamed");
    byte[] trailing = java.util.Arrays.copyOf(encoded, encoded.length + 1);
    assertThatThrownBy(() -> GroupCodec.decode(trailing))
        .isInstanceOf(org.parley.protocol.cbor.CborException.class);
  }

  private void assertRefused(GroupState state, GroupChange change, Reason reason) {
    byte[] before = state.encode();
    assertThatThrownBy(() -> GroupRules.apply(state, change, devices))
        .isInstanceOf(GroupChangeRefused.class)
        .extracting(e -> ((GroupChangeRefused) e).reason())
        .isEqualTo(reason);
    assertThat(state.encode()).isEqualTo(before);
  }
}
