package org.parley.keytrans.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.keytrans.prefix.PrefixTreeTest.commitment;
import static org.parley.keytrans.prefix.PrefixTreeTest.key;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.suite.CipherSuite;

/** {@link PrefixTree#apply}: removals leave exactly the shape the remaining keys give. */
class PrefixRemovalTest {
  static final CipherSuite SUITE = CipherSuite.defaultSuite();

  /** A random batch on {@code model}: some removals (present or not), replacements, new keys. */
  record Batch(Map<SearchKey, HashValue> adds, Set<SearchKey> removes) {
    static Batch random(Random random, Map<SearchKey, HashValue> model, int size) {
      List<SearchKey> present = new ArrayList<>(model.keySet());
      Map<SearchKey, HashValue> adds = new HashMap<>();
      Set<SearchKey> removes = new HashSet<>();
      for (int i = 0; i < size; i++) {
        int kind = random.nextInt(6);
        if (kind < 3 && !present.isEmpty()) {
          SearchKey k = present.get(random.nextInt(present.size()));
          removes.add(k);
          if (kind == 0) {
            adds.put(k, PrefixProofPropertyTest.randomCommitment(random)); // replaced
          }
        } else if (kind == 3) {
          removes.add(PrefixProofPropertyTest.randomKey(random, model)); // most likely absent
        } else {
          adds.put(
              PrefixProofPropertyTest.randomKey(random, model),
              PrefixProofPropertyTest.randomCommitment(random));
        }
      }
      return new Batch(adds, removes);
    }

    Map<SearchKey, HashValue> applyTo(Map<SearchKey, HashValue> model) {
      Map<SearchKey, HashValue> out = new HashMap<>(model);
      removes.forEach(out::remove);
      out.putAll(adds);
      return out;
    }
  }

  @Property(tries = 300)
  void applyEqualsBuildingTheRemainingKeysFromScratch(
      @ForAll long seed,
      @ForAll @IntRange(max = 200) int size,
      @ForAll @IntRange(max = 60) int batchSize) {
    PrefixProofPropertyTest.Scenario s = PrefixProofPropertyTest.scenario(seed, size);
    Batch batch = Batch.random(s.random(), s.model(), batchSize);
    Map<SearchKey, HashValue> expected = batch.applyTo(s.model());

    PrefixTree after = s.tree().apply(batch.adds(), batch.removes());

    assertThat(after.root()).isEqualTo(BruteForcePrefixTree.root(SUITE, expected));
    assertThat(after.root()).isEqualTo(PrefixTree.empty(SUITE).putAll(expected).root());
    assertThat(after.size()).isEqualTo(expected.size());
    for (SearchKey k : batch.removes()) {
      assertThat(after.get(k)).isEqualTo(java.util.Optional.ofNullable(expected.get(k)));
      assertThat(after.search(k)).isEqualTo(PrefixTree.empty(SUITE).putAll(expected).search(k));
    }
    // Persistent: the old version still answers as before.
    assertThat(s.tree().root()).isEqualTo(BruteForcePrefixTree.root(SUITE, s.model()));
  }

  @Property(tries = 100)
  void removingEverythingGivesTheEmptyTree(
      @ForAll long seed, @ForAll @IntRange(max = 100) int size) {
    PrefixProofPropertyTest.Scenario s = PrefixProofPropertyTest.scenario(seed, size);
    PrefixTree empty = s.tree().apply(Map.of(), s.model().keySet());
    assertThat(empty.root().toByteArray()).isEqualTo(new byte[32]);
    assertThat(empty.size()).isZero();
  }

  @Test
  void aLoneLeafMovesUpToWhereNoOtherKeySharesItsPrefix() {
    // 0000.., 0001.., 1...: removing 0001 leaves 0000 alone under prefix 0, so it sits at depth 1.
    SearchKey a = key("0000", 0);
    SearchKey b = key("0001", 0);
    SearchKey c = key("1", 0);
    PrefixTree three =
        PrefixTree.empty(SUITE)
            .putAll(Map.of(a, commitment(1), b, commitment(2), c, commitment(3)));
    assertThat(three.search(a)).isEqualTo(new PrefixSearchResult.Inclusion(4));

    PrefixTree two = three.apply(Map.of(), Set.of(b));
    assertThat(two.search(a)).isEqualTo(new PrefixSearchResult.Inclusion(1));
    assertThat(two.search(c)).isEqualTo(new PrefixSearchResult.Inclusion(1));
    assertThat(two.root())
        .isEqualTo(
            PrefixTree.empty(SUITE).putAll(Map.of(a, commitment(1), c, commitment(3))).root());

    // With one key left, that key's leaf is the root.
    PrefixTree one = two.apply(Map.of(), Set.of(c));
    assertThat(one.search(a)).isEqualTo(new PrefixSearchResult.Inclusion(0));
    assertThat(one.root().toByteArray())
        .isEqualTo(SUITE.hash(new byte[] {2}, a.toByteArray(), commitment(1).toByteArray()));
    assertThat(one.apply(Map.of(), Set.of(a)).root().toByteArray()).isEqualTo(new byte[32]);
  }

  @Test
  void aLoneParentStaysWhereItIs() {
    // 000.., 001.., 1..: removing 1 leaves the parent of 000/001 at depth 2, under a chain.
    SearchKey a = key("000", 0);
    SearchKey b = key("001", 0);
    SearchKey c = key("1", 0);
    PrefixTree t =
        PrefixTree.empty(SUITE)
            .putAll(Map.of(a, commitment(1), b, commitment(2), c, commitment(3)))
            .apply(Map.of(), Set.of(c));
    assertThat(t.search(a)).isEqualTo(new PrefixSearchResult.Inclusion(3));
    assertThat(t.search(c)).isEqualTo(new PrefixSearchResult.NonInclusionParent(1));
    assertThat(t.root())
        .isEqualTo(
            PrefixTree.empty(SUITE).putAll(Map.of(a, commitment(1), b, commitment(2))).root());
  }

  @Test
  void aKeyInBothListsIsReplacedAndAbsentRemovalsChangeNothing() {
    SearchKey a = key("0", 1);
    SearchKey b = key("1", 1);
    PrefixTree t = PrefixTree.empty(SUITE).putAll(Map.of(a, commitment(1), b, commitment(2)));
    PrefixTree replaced = t.apply(Map.of(a, commitment(9)), Set.of(a, key("01", 7)));
    assertThat(replaced.size()).isEqualTo(2);
    assertThat(replaced.get(a)).contains(commitment(9));
    assertThat(replaced.root()).isEqualTo(t.put(a, commitment(9)).root());
    PrefixTree unchanged = t.apply(Map.of(), Set.of(key("01", 7)));
    assertThat(unchanged.root()).isEqualTo(t.root());
    assertThat(unchanged.size()).isEqualTo(2);
  }
}
