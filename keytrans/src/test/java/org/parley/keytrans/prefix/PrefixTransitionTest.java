package org.parley.keytrans.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.parley.keytrans.prefix.PrefixTreeTest.commitment;
import static org.parley.keytrans.prefix.PrefixTreeTest.key;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;

/** The auditor's computation: a proof from the previous tree gives the previous and new roots. */
class PrefixTransitionTest {
  static final CipherSuite SUITE = CipherSuite.defaultSuite();

  /** A valid change of {@code model}: new keys, removals of present keys, replacements. */
  record Change(List<PrefixLeaf> added, List<PrefixLeaf> removed) {
    static Change random(Random random, Map<SearchKey, HashValue> model, int size) {
      List<SearchKey> present = new ArrayList<>(model.keySet());
      Map<SearchKey, HashValue> adds = new HashMap<>();
      Set<SearchKey> removes = new HashSet<>();
      for (int i = 0; i < size; i++) {
        int kind = random.nextInt(5);
        if (kind < 2 && !present.isEmpty()) {
          SearchKey k = present.get(random.nextInt(present.size()));
          removes.add(k);
          if (kind == 0) {
            adds.put(k, PrefixProofPropertyTest.randomCommitment(random));
          }
        } else {
          SearchKey k = PrefixProofPropertyTest.randomKey(random, model);
          if (!model.containsKey(k)) {
            adds.put(k, PrefixProofPropertyTest.randomCommitment(random));
          }
        }
      }
      List<PrefixLeaf> added = new ArrayList<>();
      adds.forEach((k, c) -> added.add(new PrefixLeaf(k, c)));
      List<PrefixLeaf> removed = new ArrayList<>();
      removes.forEach(k -> removed.add(new PrefixLeaf(k, model.get(k))));
      // Any order: the transition does not rely on the auditor's sorting.
      Collections.shuffle(added, random);
      Collections.shuffle(removed, random);
      return new Change(added, removed);
    }

    List<SearchKey> keys() {
      List<SearchKey> keys = new ArrayList<>();
      added.forEach(l -> keys.add(l.vrfOutput()));
      removed.forEach(l -> keys.add(l.vrfOutput()));
      return keys;
    }

    PrefixTree applyTo(PrefixTree tree) {
      Map<SearchKey, HashValue> adds = new HashMap<>();
      added.forEach(l -> adds.put(l.vrfOutput(), l.commitment()));
      Set<SearchKey> gone = new HashSet<>();
      removed.forEach(l -> gone.add(l.vrfOutput()));
      return tree.apply(adds, gone);
    }
  }

  static PrefixOccupancy occupancy(Map<SearchKey, HashValue> model) {
    return PrefixOccupancy.of(new TreeSet<>(model.keySet()));
  }

  @Property(tries = 400)
  void newRootEqualsTheTreeAfterTheChange(
      @ForAll long seed,
      @ForAll @IntRange(max = 200) int size,
      @ForAll @IntRange(max = 40) int changes)
      throws Exception {
    PrefixProofPropertyTest.Scenario s = PrefixProofPropertyTest.scenario(seed, size);
    Change change = Change.random(s.random(), s.model(), changes);
    PrefixProof proof = s.tree().prove(change.keys());

    PrefixTransition t = PrefixTransition.of(SUITE, change.added(), change.removed(), proof);

    assertThat(t.previousRoot()).isEqualTo(s.tree().root());
    assertThat(t.newRoot(occupancy(s.model()))).isEqualTo(change.applyTo(s.tree()).root());
  }

  @Test
  void bothAnswersOfTheOccupancyAreExercised() throws Exception {
    // The property above is only convincing if lone copath nodes of both kinds occur.
    AtomicInteger leaves = new AtomicInteger();
    AtomicInteger parents = new AtomicInteger();
    for (long seed = 0; seed < 200; seed++) {
      PrefixProofPropertyTest.Scenario s = PrefixProofPropertyTest.scenario(seed, 1 + (int) seed);
      Change change = Change.random(s.random(), s.model(), 1 + (int) (seed % 7));
      PrefixOccupancy real = occupancy(s.model());
      PrefixOccupancy counted =
          (k, n) -> {
            int answer = real.keysWithPrefix(k, n);
            (answer == 1 ? leaves : parents).incrementAndGet();
            return answer;
          };
      PrefixTransition t =
          PrefixTransition.of(
              SUITE, change.added(), change.removed(), s.tree().prove(change.keys()));
      assertThat(t.newRoot(counted)).isEqualTo(change.applyTo(s.tree()).root());
    }
    assertThat(leaves.get()).isPositive();
    assertThat(parents.get()).isPositive();
  }

  @Test
  void theProofAloneCannotTellALoneLeafFromALoneParent() throws Exception {
    // Removing c = 1.. leaves the copath node "0" alone. With keys 00.., 01.. under it, it is a
    // parent and stays at depth 1; with one key 0.. under it, it is a leaf and becomes the root.
    // The proofs look the same (one inclusion at depth 1, one element), so the shape question
    // is answered by the occupancy, never guessed.
    SearchKey a = key("00", 0);
    SearchKey b = key("01", 0);
    SearchKey c = key("1", 0);
    PrefixTree parentCase =
        PrefixTree.empty(SUITE)
            .putAll(Map.of(a, commitment(1), b, commitment(2), c, commitment(3)));
    PrefixTree leafCase =
        PrefixTree.empty(SUITE).putAll(Map.of(a, commitment(1), c, commitment(3)));
    List<PrefixLeaf> removed = List.of(new PrefixLeaf(c, commitment(3)));
    for (PrefixTree tree : List.of(parentCase, leafCase)) {
      PrefixProof proof = tree.prove(List.of(c));
      assertThat(proof.results()).containsExactly(new PrefixSearchResult.Inclusion(1));
      assertThat(proof.elements()).hasSize(1);
      PrefixTransition t = PrefixTransition.of(SUITE, List.of(), removed, proof);
      HashValue expected = tree.apply(Map.of(), Set.of(c)).root();
      assertThat(t.newRoot((k, n) -> tree == parentCase ? PrefixOccupancy.MANY : 1))
          .isEqualTo(expected);
      assertThat(t.newRoot((k, n) -> tree == parentCase ? 1 : PrefixOccupancy.MANY))
          .isNotEqualTo(expected);
    }
    // The question is about the copath node's prefix: the first bit 0.
    List<Integer> lengths = new ArrayList<>();
    PrefixTransition.of(SUITE, List.of(), removed, parentCase.prove(List.of(c)))
        .newRoot(
            (k, n) -> {
              lengths.add(n);
              assertThat(k.bit(0)).isZero();
              return PrefixOccupancy.MANY;
            });
    assertThat(lengths).containsExactly(1);
  }

  @Test
  void anOccupancyContradictingTheProofIsRejected() throws Exception {
    SearchKey a = key("0", 0);
    SearchKey c = key("1", 0);
    PrefixTree tree = PrefixTree.empty(SUITE).putAll(Map.of(a, commitment(1), c, commitment(3)));
    PrefixTransition t =
        PrefixTransition.of(
            SUITE, List.of(), List.of(new PrefixLeaf(c, commitment(3))), tree.prove(List.of(c)));
    assertThatThrownBy(() -> t.newRoot((k, n) -> 0))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("copath");
  }

  @Test
  void anEmptyChangeKeepsTheRoot() throws Exception {
    PrefixTree tree = PrefixTree.empty(SUITE).put(key("0", 0), commitment(1));
    PrefixTransition t = PrefixTransition.of(SUITE, List.of(), List.of(), tree.prove(List.of()));
    assertThat(t.previousRoot()).isEqualTo(tree.root());
    assertThat(
            t.newRoot(
                (k, n) -> {
                  throw new AssertionError("not asked");
                }))
        .isEqualTo(tree.root());
  }

  @Test
  void addingKeysSharing255BitsIsRejected() throws Exception {
    byte[] k = new byte[32];
    SearchKey k1 = SearchKey.of(k);
    k[31] = 1;
    SearchKey k2 = SearchKey.of(k);
    PrefixTree empty = PrefixTree.empty(SUITE);
    List<PrefixLeaf> added =
        List.of(new PrefixLeaf(k1, commitment(1)), new PrefixLeaf(k2, commitment(2)));
    PrefixTransition t = PrefixTransition.of(SUITE, added, List.of(), empty.prove(List.of(k1, k2)));
    assertThatThrownBy(() -> t.newRoot((x, n) -> 0))
        .isInstanceOf(InvalidProofException.class)
        .hasMessageContaining("255");
  }

  @Test
  void wrongExpectationsAreRejected() {
    SearchKey a = key("0", 0);
    SearchKey c = key("1", 0);
    PrefixTree tree = PrefixTree.empty(SUITE).putAll(Map.of(a, commitment(1), c, commitment(3)));
    // Adding a present key without removing it: the verifier expects non-inclusion.
    assertThatThrownBy(
            () ->
                PrefixTransition.of(
                    SUITE,
                    List.of(new PrefixLeaf(a, commitment(5))),
                    List.of(),
                    tree.prove(List.of(a))))
        .isInstanceOf(InvalidProofException.class);
    // Removing an absent key: inclusion is expected.
    SearchKey absent = key("11", 9);
    assertThatThrownBy(
            () ->
                PrefixTransition.of(
                    SUITE,
                    List.of(),
                    List.of(new PrefixLeaf(absent, commitment(5))),
                    tree.prove(List.of(absent))))
        .isInstanceOf(InvalidProofException.class);
    // Removing with the wrong commitment leads to another root.
    assertThat(
            catchThrowable(
                () ->
                    assertThat(
                            PrefixTransition.of(
                                    SUITE,
                                    List.of(),
                                    List.of(new PrefixLeaf(c, commitment(4))),
                                    tree.prove(List.of(c)))
                                .previousRoot())
                        .isNotEqualTo(tree.root())))
        .isNull();
    // Repeated keys within a list are the caller's error.
    assertThatThrownBy(
            () ->
                PrefixTransition.searches(
                    List.of(new PrefixLeaf(c, commitment(1)), new PrefixLeaf(c, commitment(2))),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                PrefixTransition.searches(
                    List.of(),
                    List.of(new PrefixLeaf(c, commitment(1)), new PrefixLeaf(c, commitment(2)))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 150)
  void mutatedProofsAreRejected(
      @ForAll long seed,
      @ForAll @IntRange(max = 100) int size,
      @ForAll @IntRange(min = 1, max = 12) int changes)
      throws Exception {
    PrefixProofPropertyTest.Scenario s = PrefixProofPropertyTest.scenario(seed, size);
    Change change = Change.random(s.random(), s.model(), changes);
    PrefixProof proof = s.tree().prove(change.keys());
    byte[] encoded = proof.encode();
    // Every byte of the counts and results, and a sample of the element bytes.
    int header = encoded.length - proof.elements().size() * 32;
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < header; i++) {
      positions.add(i);
    }
    for (int i = 0; i < 64 && header < encoded.length; i++) {
      positions.add(header + s.random().nextInt(encoded.length - header));
    }
    for (int i : positions) {
      byte[] bad = encoded.clone();
      bad[i] ^= (byte) (1 << s.random().nextInt(8));
      Throwable t =
          catchThrowable(
              () -> {
                PrefixTransition tr =
                    PrefixTransition.of(
                        SUITE, change.added(), change.removed(), PrefixProof.decode(bad));
                if (tr.previousRoot().equals(s.tree().root())) {
                  throw new AssertionError("mutated proof at byte " + i + " leads to the root");
                }
              });
      if (t != null) {
        assertThat(t)
            .isInstanceOfAny(MalformedEncodingException.class, InvalidProofException.class);
      }
    }
  }

  @Property(tries = 300)
  void occupancyCountsTheKeysSharingAPrefix(
      @ForAll long seed, @ForAll @IntRange(max = 60) int size) {
    PrefixProofPropertyTest.Scenario s = PrefixProofPropertyTest.scenario(seed, size);
    PrefixOccupancy occupancy = occupancy(s.model());
    for (int q = 0; q < 40; q++) {
      SearchKey probe =
          q % 2 == 0 || s.model().isEmpty()
              ? PrefixProofPropertyTest.randomKey(s.random(), s.model())
              : s.model().keySet().iterator().next();
      int length = s.random().nextInt(SearchKey.BITS + 1);
      long count =
          s.model().keySet().stream().filter(k -> k.commonPrefixLength(probe) >= length).count();
      assertThat(occupancy.keysWithPrefix(probe, length)).isEqualTo((int) Math.min(count, 2));
    }
  }

  @Test
  void withSuffixKeepsThePrefixAndFillsTheRest() {
    SearchKey k = key("1011", 0x5A);
    assertThat(k.withSuffix(4, 0)).isEqualTo(key("1011", 0));
    assertThat(k.withSuffix(4, 1)).isEqualTo(key("1011", 0xFF));
    assertThat(k.withSuffix(256, 1)).isEqualTo(k);
    assertThat(k.withSuffix(0, 0)).isEqualTo(SearchKey.of(new byte[32]));
    assertThatThrownBy(() -> k.withSuffix(257, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> k.withSuffix(3, 2)).isInstanceOf(IllegalArgumentException.class);
  }
}
