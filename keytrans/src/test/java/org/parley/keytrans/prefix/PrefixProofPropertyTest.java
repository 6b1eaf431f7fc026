package org.parley.keytrans.prefix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.log.MalformedEncodingException;
import org.parley.keytrans.suite.CipherSuite;

class PrefixProofPropertyTest {
  static final CipherSuite SUITE = CipherSuite.defaultSuite();
  static final PrefixVerifier VERIFIER = new PrefixVerifier(SUITE);

  /** A random tree with its model, built by a random mix of single puts and batches. */
  record Scenario(PrefixTree tree, Map<SearchKey, HashValue> model, Random random) {}

  static SearchKey randomKey(Random random, Map<SearchKey, HashValue> near) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    if (!near.isEmpty() && random.nextInt(3) == 0) {
      // Share a long prefix with an existing key, so deep paths and stand-ins occur.
      byte[] base =
          near.keySet().stream()
              .skip(random.nextInt(near.size()))
              .findFirst()
              .orElseThrow()
              .toByteArray();
      int shared = random.nextInt(30);
      System.arraycopy(base, 0, k, 0, shared);
    }
    return SearchKey.of(k);
  }

  static HashValue randomCommitment(Random random) {
    byte[] c = new byte[32];
    random.nextBytes(c);
    return HashValue.of(c);
  }

  static Scenario scenario(long seed, int size) {
    Random random = new Random(seed);
    Map<SearchKey, HashValue> model = new HashMap<>();
    PrefixTree tree = PrefixTree.empty(SUITE);
    while (model.size() < size) {
      int batch = 1 + random.nextInt(Math.max(1, size / 4));
      Map<SearchKey, HashValue> updates = new HashMap<>();
      for (int i = 0; i < batch; i++) {
        SearchKey k =
            !model.isEmpty() && random.nextInt(5) == 0
                ? model.keySet().iterator().next() // an update of an existing key
                : randomKey(random, model);
        updates.put(k, randomCommitment(random));
      }
      if (random.nextBoolean()) {
        tree = tree.putAll(updates);
      } else {
        for (Map.Entry<SearchKey, HashValue> e : updates.entrySet()) {
          tree = tree.put(e.getKey(), e.getValue());
        }
      }
      model.putAll(updates);
    }
    return new Scenario(tree, model, random);
  }

  static List<PrefixSearch> searches(Scenario s, int count) {
    List<SearchKey> present = new ArrayList<>(s.model().keySet());
    List<PrefixSearch> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SearchKey k =
          !present.isEmpty() && s.random().nextBoolean()
              ? present.get(s.random().nextInt(present.size()))
              : randomKey(s.random(), s.model());
      out.add(new PrefixSearch(k, Optional.ofNullable(s.model().get(k))));
    }
    if (!out.isEmpty() && s.random().nextInt(4) == 0) {
      out.add(out.get(s.random().nextInt(out.size()))); // a duplicate search
    }
    return out;
  }

  static PrefixProof prove(PrefixTree tree, List<PrefixSearch> searches) {
    return tree.prove(searches.stream().map(PrefixSearch::key).toList());
  }

  @Property(tries = 200)
  void builderMatchesTheBruteForceModel(@ForAll long seed, @ForAll @IntRange(max = 300) int size) {
    Scenario s = scenario(seed, size);
    assertThat(s.tree().root()).isEqualTo(BruteForcePrefixTree.root(SUITE, s.model()));
    assertThat(s.tree().size()).isEqualTo(s.model().size());
    assertThat(PrefixTree.empty(SUITE).putAll(s.model()).root()).isEqualTo(s.tree().root());
  }

  @Property(tries = 300)
  void everyProofVerifies(
      @ForAll long seed, @ForAll @IntRange(max = 200) int size, @ForAll @IntRange(max = 40) int n)
      throws Exception {
    Scenario s = scenario(seed, size);
    List<PrefixSearch> searches = searches(s, n);
    byte[] encoded = prove(s.tree(), searches).encode();
    PrefixProof proof = PrefixProof.decode(encoded);
    assertThat(proof.encode()).isEqualTo(encoded);
    assertThat(proof.encodedLength()).isEqualTo(encoded.length);
    assertThat(VERIFIER.computeRoot(searches, proof)).isEqualTo(s.tree().root());
    for (int i = 0; i < searches.size(); i++) {
      boolean present = s.model().containsKey(searches.get(i).key());
      assertThat(proof.results().get(i) instanceof PrefixSearchResult.Inclusion).isEqualTo(present);
    }
  }

  @Property(tries = 150)
  void anyMutatedByteIsRejected(
      @ForAll long seed,
      @ForAll @IntRange(max = 100) int size,
      @ForAll @IntRange(min = 1, max = 12) int n)
      throws Exception {
    Scenario s = scenario(seed, size);
    List<PrefixSearch> searches = searches(s, n);
    PrefixProof proof = prove(s.tree(), searches);
    byte[] encoded = proof.encode();
    // Every byte of the counts and results, and a sample of the element bytes.
    int header = encoded.length - proof.elements().size() * 32;
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < header; i++) {
      positions.add(i);
    }
    for (int i = 0; i < 48 && header < encoded.length; i++) {
      positions.add(header + s.random().nextInt(encoded.length - header));
    }
    for (int i : positions) {
      byte[] bad = encoded.clone();
      bad[i] ^= (byte) (1 << s.random().nextInt(8));
      assertRejected(searches, bad, s.tree().root());
    }
  }

  @Property(tries = 150)
  void changedRootsAndSwappedResultsAreRejected(
      @ForAll long seed,
      @ForAll @IntRange(max = 100) int size,
      @ForAll @IntRange(min = 2, max = 12) int n)
      throws Exception {
    Scenario s = scenario(seed, size);
    List<PrefixSearch> searches = searches(s, n);
    PrefixProof proof = prove(s.tree(), searches);
    HashValue otherRoot =
        s.tree().put(randomKey(s.random(), s.model()), randomCommitment(s.random())).root();
    assertThatThrownBy(() -> VERIFIER.verify(searches, proof, otherRoot))
        .isInstanceOf(InvalidProofException.class);
    for (int i = 0; i < searches.size(); i++) {
      for (int j = i + 1; j < searches.size(); j++) {
        List<PrefixSearchResult> swapped = new ArrayList<>(proof.results());
        swapped.set(i, proof.results().get(j));
        swapped.set(j, proof.results().get(i));
        if (swapped.equals(proof.results())
            || searches.get(i).key().equals(searches.get(j).key())) {
          continue;
        }
        PrefixProof bad = new PrefixProof(swapped, proof.elements());
        assertThatThrownBy(() -> VERIFIER.verify(searches, bad, s.tree().root()))
            .isInstanceOf(InvalidProofException.class);
      }
    }
    // A search whose result is claimed for another key is rejected too.
    List<PrefixSearch> moved = new ArrayList<>(searches);
    moved.set(0, new PrefixSearch(randomKey(s.random(), Map.of()), searches.get(0).commitment()));
    // (It still verifies when the honest proof for the moved key is the same, e.g. same subtree.)
    boolean same = prove(s.tree(), moved).equals(proof);
    Throwable t = catchThrowable(() -> VERIFIER.verify(moved, proof, s.tree().root()));
    if (same) {
      assertThat(t).isNull();
    } else {
      assertThat(t).isInstanceOf(InvalidProofException.class);
    }
  }

  @Property(tries = 2000)
  void decodersOnlyThrowTheTypedException(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] bytes = new byte[random.nextInt(200)];
    random.nextBytes(bytes);
    if (bytes.length > 0 && random.nextBoolean()) {
      bytes[0] = (byte) random.nextInt(4); // few results, so the body gets parsed
      if (bytes.length > 1) {
        bytes[1] = (byte) (1 + random.nextInt(3));
      }
    }
    Throwable t =
        catchThrowable(
            () -> {
              PrefixProof p = PrefixProof.decode(bytes);
              List<PrefixSearch> s = new ArrayList<>();
              for (int i = 0; i < p.results().size(); i++) {
                s.add(
                    random.nextBoolean()
                        ? PrefixSearch.absent(randomKey(random, Map.of()))
                        : PrefixSearch.present(
                            randomKey(random, Map.of()), randomCommitment(random)));
              }
              VERIFIER.computeRoot(s, p);
            });
    if (t != null) {
      assertThat(t).isInstanceOfAny(MalformedEncodingException.class, InvalidProofException.class);
    }
  }

  static void assertRejected(List<PrefixSearch> searches, byte[] bad, HashValue root) {
    Throwable t = catchThrowable(() -> VERIFIER.verify(searches, PrefixProof.decode(bad), root));
    assertThat(t).isInstanceOfAny(MalformedEncodingException.class, InvalidProofException.class);
  }
}
