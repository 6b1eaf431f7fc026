package org.parley.content.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.parley.protocol.AccountId;
import org.parley.protocol.DeviceId;
import org.parley.protocol.Handle;
import org.parley.protocol.cbor.ByteString;
import org.parley.protocol.cbor.CborException;

/**
 * Every change decodes to itself, and any single altered byte of its encoding is either refused by
 * the decoder or decodes to a different change (whose signature then cannot verify): there is
 * exactly one encoding per change.
 */
class GroupCodecPropertiesTest {
  @Property(tries = 300)
  void aChangeDecodesToItself(@ForAll("changes") GroupChange change) throws Exception {
    assertThat(GroupCodec.decode(change.encode())).isEqualTo(change);
  }

  @Property(tries = 300)
  void anAlteredByteNeverDecodesToTheSameChange(
      @ForAll("changes") GroupChange change, @ForAll long position, @ForAll byte flip)
      throws Exception {
    byte[] encoded = change.encode();
    int at = (int) Math.floorMod(position, (long) encoded.length);
    byte[] altered = encoded.clone();
    altered[at] ^= (byte) (flip == 0 ? 1 : flip);
    try {
      GroupChange decoded = GroupCodec.decode(altered);
      assertThat(decoded).isNotEqualTo(change);
      assertThat(
              Arrays.equals(decoded.signedBytes(), change.signedBytes())
                  && decoded.signature().equals(change.signature()))
          .isFalse();
    } catch (CborException refused) {
      // refused: as good
    }
  }

  @Property(tries = 100)
  void trailingBytesAreRefused(@ForAll("changes") GroupChange change) {
    byte[] encoded = Arrays.copyOf(change.encode(), change.encode().length + 1);
    assertThatThrownBy(() -> GroupCodec.decode(encoded)).isInstanceOf(CborException.class);
  }

  @Provide
  Arbitrary<GroupChange> changes() {
    Arbitrary<AccountId> accounts =
        Arbitraries.longs().map(l -> AccountId.of(new UUID(l, ~l).toString()));
    Arbitrary<Handle> handles =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(s -> Handle.of(s + "@example.org"));
    Arbitrary<GroupAction> actions =
        Arbitraries.oneOf(
            Combinators.combine(accounts, handles, Arbitraries.of(true, false))
                .as((a, h, admin) -> new GroupAction.Add(new Member(a, h, admin))),
            accounts.map(GroupAction.Remove::new),
            Combinators.combine(accounts, Arbitraries.of(true, false))
                .as(GroupAction.SetAdmin::new),
            Arbitraries.strings().ofMaxLength(40).map(GroupAction.Rename::new),
            Arbitraries.longs().between(0, Long.MAX_VALUE).map(GroupAction.SetTimer::new));
    Arbitrary<ByteString> hashes =
        Arbitraries.bytes().array(byte[].class).ofSize(32).map(ByteString::of);
    return Combinators.combine(
            hashes.map(GroupId::new),
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            hashes.injectNull(0.2),
            actions.list().ofMaxSize(6),
            accounts,
            Arbitraries.integers().between(1, DeviceId.MAX).map(DeviceId::of),
            Arbitraries.bytes().array(byte[].class).ofSize(33).map(ByteString::of),
            Arbitraries.bytes().array(byte[].class).ofSize(64).map(ByteString::of))
        .as(
            (group, version, previous, list, author, device, key, signature) ->
                new GroupChange(
                    group, version, previous, List.copyOf(list), author, device, key, signature));
  }
}
