package org.parley.keytrans.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.prefix.PrefixLeaf;
import org.parley.keytrans.prefix.PrefixProof;
import org.parley.keytrans.prefix.PrefixSearchResult;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.CipherSuite;

/** The {@code AuditorUpdate} codec, the operator's builder, and mutated updates at the auditor. */
class AuditorUpdateTest {
  static final CipherSuite SUITE = CipherSuite.defaultSuite();
  static final long WINDOW = 1000;

  static PrefixLeaf leaf(int b) {
    byte[] k = new byte[32];
    Arrays.fill(k, (byte) b);
    byte[] c = new byte[32];
    Arrays.fill(c, (byte) ~b);
    return new PrefixLeaf(SearchKey.of(k), HashValue.of(c));
  }

  /** An operator and auditor in step after six entries far apart, with keys to remove. */
  record Setup(Operator op, Auditor auditor) {
    static Setup create() throws AuditException {
      Random random = new Random(42);
      Operator op = new Operator(SUITE, WINDOW);
      Auditor auditor = new Auditor(op.config);
      for (int i = 0; i < 6; i++) {
        List<PrefixLeaf> added = new ArrayList<>();
        for (int j = 0; j < 5; j++) {
          added.add(Operator.randomLeaf(random, op.addedAt.keySet()));
        }
        auditor.process(op.next(10 * WINDOW * (i + 1), added, List.of()));
      }
      return new Setup(op, auditor);
    }

    /** The next entry: adds two new keys, replaces one, removes two. */
    AuditorUpdate update() {
      Random random = new Random(43);
      List<SearchKey> present = new ArrayList<>(op.addedAt.keySet());
      Collections.sort(present);
      long t = op.lastTimestamp() + 1;
      for (SearchKey k : present.subList(0, 3)) {
        assertThat(op.removable(k, t)).isTrue();
      }
      return op.update(
          t,
          List.of(
              Operator.randomLeaf(random, present),
              Operator.randomLeaf(random, present),
              new PrefixLeaf(present.get(0), Operator.randomCommitment(random))),
          present.subList(0, 3));
    }
  }

  @Test
  void roundTripsAndLaysOutAsTheDraftSays() throws Exception {
    PrefixProof proof =
        new PrefixProof(
            List.of(
                new PrefixSearchResult.NonInclusionParent(3),
                new PrefixSearchResult.NonInclusionLeaf(leaf(0x44), 5),
                new PrefixSearchResult.Inclusion(7)),
            List.of(HashValue.of(new byte[32])));
    AuditorUpdate u =
        new AuditorUpdate(
            0x0102030405060708L, List.of(leaf(0x11), leaf(0x22)), List.of(leaf(0x33)), proof);
    byte[] bytes = u.encode();
    assertThat(bytes).hasSize(8 + 2 + 128 + 2 + 64 + proof.encodedLength());
    assertThat(HexFormat.of().formatHex(bytes, 0, 10)).isEqualTo("01020304050607080002");
    assertThat(Arrays.copyOfRange(bytes, 10, 42)).containsOnly((byte) 0x11);
    assertThat(Arrays.copyOfRange(bytes, 42, 74)).containsOnly((byte) ~0x11);
    assertThat(Arrays.copyOfRange(bytes, 138, 140)).containsExactly(0, 1);
    assertThat(Arrays.copyOfRange(bytes, 204, bytes.length)).isEqualTo(proof.encode());
    assertThat(AuditorUpdate.decode(bytes)).isEqualTo(u);

    AuditorUpdate empty =
        new AuditorUpdate(0, List.of(), List.of(), new PrefixProof(List.of(), List.of()));
    assertThat(HexFormat.of().formatHex(empty.encode()))
        .isEqualTo("0000000000000000" + "0000" + "0000" + "00" + "0000");
    assertThat(AuditorUpdate.decode(empty.encode())).isEqualTo(empty);
  }

  @Test
  void builtUpdatesRoundTrip() throws Exception {
    AuditorUpdate u = Setup.create().update();
    byte[] bytes = u.encode();
    AuditorUpdate decoded = AuditorUpdate.decode(bytes);
    assertThat(decoded).isEqualTo(u);
    assertThat(decoded.encode()).isEqualTo(bytes);
  }

  @Test
  void theDecoderIsStrict() throws Exception {
    byte[] bytes = Setup.create().update().encode();
    for (int n = 0; n < bytes.length; n++) {
      byte[] cut = Arrays.copyOf(bytes, n);
      assertThatThrownBy(() -> AuditorUpdate.decode(cut))
          .as("prefix of %d bytes", n)
          .isInstanceOf(MalformedEncodingException.class);
    }
    assertThatThrownBy(() -> AuditorUpdate.decode(Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(MalformedEncodingException.class);
    assertThatThrownBy(() -> AuditorUpdate.decode(null))
        .isInstanceOf(MalformedEncodingException.class);
  }

  @Test
  void hugeCountsAreRefusedBeforeAnythingIsAllocated() {
    // 65535 added leaves announced, a few bytes present.
    byte[] added = ByteBuffer.allocate(8 + 2 + 64).putLong(1).putShort((short) 0xFFFF).array();
    assertThatThrownBy(() -> AuditorUpdate.decode(added))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("65535 leaves");
    byte[] removed =
        ByteBuffer.allocate(8 + 2 + 2 + 10)
            .putLong(1)
            .putShort((short) 0)
            .putShort((short) 0xFFFF)
            .array();
    assertThatThrownBy(() -> AuditorUpdate.decode(removed))
        .isInstanceOf(MalformedEncodingException.class)
        .hasMessageContaining("removed");
    // A proof announcing 65535 elements.
    byte[] proof =
        ByteBuffer.allocate(8 + 2 + 2 + 1 + 2 + 32)
            .putLong(1)
            .putShort((short) 0)
            .putShort((short) 0)
            .put((byte) 0)
            .putShort((short) 0xFFFF)
            .array();
    assertThatThrownBy(() -> AuditorUpdate.decode(proof))
        .isInstanceOf(MalformedEncodingException.class);
  }

  @Test
  void aListHoldsAtMost65535Leaves() {
    List<PrefixLeaf> many = Collections.nCopies(AuditorUpdate.MAX_LEAVES + 1, leaf(1));
    PrefixProof none = new PrefixProof(List.of(), List.of());
    assertThatThrownBy(() -> new AuditorUpdate(0, many, List.of(), none))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new AuditorUpdate(0, List.of(), many, none))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theBuilderSortsAndOrdersTheResultsAddedThenRemoved() throws Exception {
    PrefixLeaf a = leaf(0x10);
    PrefixLeaf b = leaf(0x20);
    PrefixLeaf c = leaf(0x30);
    PrefixLeaf d = leaf(0x40);
    PrefixTree tree =
        PrefixTree.empty(SUITE)
            .putAll(Map.of(b.vrfOutput(), b.commitment(), d.vrfOutput(), d.commitment()));
    PrefixLeaf newB = new PrefixLeaf(b.vrfOutput(), a.commitment());
    AuditorUpdate u =
        AuditorUpdate.build(tree, 7, List.of(c, newB, a), List.of(d.vrfOutput(), b.vrfOutput()));
    assertThat(u.timestamp()).isEqualTo(7);
    assertThat(u.added()).containsExactly(a, newB, c);
    assertThat(u.removed()).containsExactly(b, d); // commitments from the tree
    assertThat(u.proof())
        .isEqualTo(
            tree.prove(
                List.of(
                    a.vrfOutput(), b.vrfOutput(), c.vrfOutput(), b.vrfOutput(), d.vrfOutput())));
    assertThat(u.proof().results().get(1)).isInstanceOf(PrefixSearchResult.Inclusion.class);
    assertThat(u.applyTo(tree).root())
        .isEqualTo(
            PrefixTree.empty(SUITE)
                .putAll(
                    Map.of(
                        a.vrfOutput(),
                        a.commitment(),
                        b.vrfOutput(),
                        a.commitment(),
                        c.vrfOutput(),
                        c.commitment()))
                .root());
  }

  @Test
  void theBuilderRefusesAnImpossibleChange() {
    PrefixLeaf a = leaf(0x10);
    PrefixLeaf b = leaf(0x20);
    PrefixTree tree = PrefixTree.empty(SUITE).put(b.vrfOutput(), b.commitment());
    assertThatThrownBy(() -> AuditorUpdate.build(tree, 0, List.of(), List.of(a.vrfOutput())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("absent");
    assertThatThrownBy(() -> AuditorUpdate.build(tree, 0, List.of(b), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("present");
    assertThatThrownBy(() -> AuditorUpdate.build(tree, 0, List.of(a, a), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(
            () -> AuditorUpdate.build(tree, 0, List.of(), List.of(b.vrfOutput(), b.vrfOutput())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("twice");
    List<PrefixLeaf> many = new ArrayList<>();
    Random random = new Random(1);
    for (int i = 0; i < 256; i++) {
      many.add(Operator.randomLeaf(random, Set.of()));
    }
    assertThatThrownBy(() -> AuditorUpdate.build(tree, 0, many, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("255");
  }

  /**
   * Every byte of an honest update flipped three ways. The timestamp and the added leaves are bound
   * by nothing the auditor holds (its job is to attest to whatever entry comes next), so a mutation
   * there may pass; then the auditor's root differs from the operator's, and the heads will not
   * match. Every other mutation fails to decode or is refused, with the state unchanged.
   */
  @Test
  void everySingleByteMutationIsRefusedOrChangesTheRoot() throws Exception {
    Setup setup = Setup.create();
    AuditorUpdate honest = setup.update();
    byte[] bytes = honest.encode();
    int addedEnd = 10 + 64 * honest.added().size();
    AuditedEntry expected = Setup.create().auditor().process(honest);
    int malformed = 0;
    int refused = 0;
    int accepted = 0;
    for (int i = 0; i < bytes.length; i++) {
      for (int flip : new int[] {0x01, 0x80, 0xFF}) {
        byte[] bad = bytes.clone();
        bad[i] ^= (byte) flip;
        AuditorUpdate decoded;
        try {
          decoded = AuditorUpdate.decode(bad);
        } catch (MalformedEncodingException e) {
          malformed++;
          continue;
        }
        AuditorTest.State before = AuditorTest.State.of(setup.auditor());
        try {
          AuditedEntry entry = setup.auditor().process(decoded);
          accepted++;
          assertThat(i < 8 || (i >= 10 && i < addedEnd))
              .as("mutation at byte %d accepted", i)
              .isTrue();
          assertThat(entry.root()).isNotEqualTo(expected.root());
          setup = Setup.create();
        } catch (AuditException e) {
          refused++;
          assertThat(AuditorTest.State.of(setup.auditor())).isEqualTo(before);
        }
      }
    }
    assertThat(malformed).isPositive();
    assertThat(refused).isPositive();
    assertThat(accepted).isPositive();
    assertThat(setup.auditor().process(honest)).isEqualTo(expected);
  }

  @Property(tries = 1500)
  void garbledUpdatesOnlyEverThrowTheDocumentedExceptions(@ForAll long seed) throws Exception {
    Random random = new Random(seed);
    Setup setup = SETUP.get();
    byte[] bytes = HONEST.get().encode();
    for (int m = 1 + random.nextInt(4); m > 0; m--) {
      int at = random.nextInt(bytes.length);
      bytes =
          switch (random.nextInt(4)) {
            case 0 -> {
              bytes[at] = (byte) random.nextInt(256);
              yield bytes;
            }
            case 1 -> Arrays.copyOf(bytes, at);
            case 2 -> {
              byte[] tail = new byte[1 + random.nextInt(70)];
              random.nextBytes(tail);
              byte[] longer = Arrays.copyOf(bytes, bytes.length + tail.length);
              System.arraycopy(tail, 0, longer, bytes.length, tail.length);
              yield longer;
            }
            default -> {
              byte[] shorter = new byte[bytes.length - 1];
              System.arraycopy(bytes, 0, shorter, 0, at);
              System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
              yield shorter;
            }
          };
      if (bytes.length == 0) {
        break;
      }
    }
    byte[] input = bytes;
    AuditorTest.State before = AuditorTest.State.of(setup.auditor());
    Throwable t = catchThrowable(() -> setup.auditor().process(AuditorUpdate.decode(input)));
    if (t == null) {
      SETUP.remove(); // accepted: the next try needs the state from before
    } else {
      assertThat(t).isInstanceOfAny(MalformedEncodingException.class, AuditException.class);
      assertThat(AuditorTest.State.of(setup.auditor())).isEqualTo(before);
    }
  }

  private static final ThreadLocal<Setup> SETUP =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Setup.create();
            } catch (AuditException e) {
              throw new AssertionError(e);
            }
          });

  private static final ThreadLocal<AuditorUpdate> HONEST =
      ThreadLocal.withInitial(() -> SETUP.get().update());
}
