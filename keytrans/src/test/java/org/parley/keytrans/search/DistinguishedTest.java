package org.parley.keytrans.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Distinguished entries against the draft's recursive definition, and their stated properties. */
class DistinguishedTest {

  @Property(tries = 300)
  void matchesTheRecursiveDefinition(
      @ForAll @IntRange(min = 1, max = 300) int n,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 60) int window) {
    long[] ts = timestamps(n, seed);
    List<Long> expected = new ArrayList<>();
    define(ImplicitSearchTree.root(n), n, 0, ts[n - 1], ts, window, expected);
    expected.sort(null);
    assertThat(Distinguished.all(n, x -> ts[(int) x], window)).isEqualTo(expected);
    for (long x = 0; x < n; x++) {
      assertThat(Distinguished.isDistinguished(x, n, y -> ts[(int) y], window))
          .isEqualTo(expected.contains(x));
    }
    OptionalLong rightmost = Distinguished.rightmost(n, x -> ts[(int) x], window);
    assertThat(rightmost.isPresent()).isEqualTo(!expected.isEmpty());
    rightmost.ifPresent(
        r -> {
          assertThat(r).isEqualTo(expected.getLast());
          assertThat(ImplicitSearchTree.frontier(n)).contains(r); // always on the frontier
        });
    for (long d : expected) { // a distinguished entry's parent is distinguished
      ImplicitSearchTree.parent(d, n).ifPresent(p -> assertThat(expected).contains(p));
    }
  }

  @Property(tries = 100)
  void distinguishedEntriesStayDistinguished(
      @ForAll @IntRange(min = 1, max = 200) int n,
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 60) int window) {
    long[] ts = timestamps(n + 50, seed);
    List<Long> before = Distinguished.all(n, x -> ts[(int) x], window);
    for (int grown = n + 1; grown <= n + 50; grown++) {
      assertThat(Distinguished.all(grown, x -> ts[(int) x], window)).containsAll(before);
    }
  }

  @Test
  void expiryFollowsTheMaximumLifetime() {
    long[] ts = {0, 10, 20, 30};
    assertThat(Distinguished.isExpired(0, 4, x -> ts[(int) x], OptionalLong.of(30))).isTrue();
    assertThat(Distinguished.isExpired(1, 4, x -> ts[(int) x], OptionalLong.of(30))).isFalse();
    assertThat(Distinguished.isExpired(0, 4, x -> ts[(int) x], OptionalLong.empty())).isFalse();
  }

  private static long[] timestamps(int n, long seed) {
    Random random = new Random(seed);
    long[] ts = new long[n];
    long t = random.nextInt(100);
    for (int i = 0; i < n; i++) {
      t += random.nextInt(4) == 0 ? 0 : random.nextInt(10);
      ts[i] = t;
    }
    return ts;
  }

  private static void define(
      long x, long n, long left, long right, long[] ts, long window, List<Long> out) {
    if (right - left < window) {
      return;
    }
    out.add(x);
    if (ImplicitSearchTree.hasLeft(x, n)) {
      define(ImplicitSearchTree.left(x, n), n, left, ts[(int) x], ts, window, out);
    }
    if (ImplicitSearchTree.hasRight(x, n)) {
      define(ImplicitSearchTree.right(x, n), n, ts[(int) x], right, ts, window, out);
    }
  }
}
