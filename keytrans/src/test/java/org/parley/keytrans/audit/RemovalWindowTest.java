package org.parley.keytrans.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.search.Distinguished;
import org.parley.keytrans.search.ImplicitSearchTree;

/** Step 5's one-path decision against every distinguished entry. */
class RemovalWindowTest {

  /** Non-decreasing timestamps with gaps mostly below the window and sometimes far above. */
  static long[] timestamps(Random random, int n, long window) {
    long[] ts = new long[n];
    long t = random.nextInt(3) == 0 ? 0 : random.nextInt(10_000);
    for (int i = 0; i < n; i++) {
      int kind = random.nextInt(10);
      t +=
          kind < 6
              ? random.nextInt((int) Math.max(1, window / 4))
              : kind < 9 ? random.nextInt((int) window * 2 + 1) : 10 * window;
      ts[i] = t;
    }
    return ts;
  }

  @Property(tries = 500)
  void agreesWithEnumeratingEveryDistinguishedEntry(
      @ForAll long seed,
      @ForAll @IntRange(min = 2, max = 400) int n,
      @ForAll @IntRange(min = 0, max = 3000) int window) {
    Random random = new Random(seed);
    long[] ts = timestamps(random, n, Math.max(window, 1));
    LongUnaryOperator time = x -> ts[(int) x];
    List<Long> distinguished = Distinguished.all(n, time, window);
    for (long added = 0; added <= n - 2; added++) {
      long from = added;
      boolean expected = distinguished.stream().anyMatch(d -> d >= from && d <= n - 2);
      assertThat(RemovalWindow.publishedInDistinguished(added, n, time, window))
          .as("added %d, n %d", added, n)
          .isEqualTo(expected);
    }
  }

  @Property(tries = 300)
  void theTopOfARangeIsAnAncestorOfEveryEntryInIt(
      @ForAll @IntRange(min = 1, max = 600) int n, @ForAll long seed) {
    Random random = new Random(seed);
    long from = random.nextInt(n);
    long to = from + random.nextInt((int) (n - from));
    long top = RemovalWindow.top(from, to, n);
    assertThat(top).isBetween(from, to);
    for (long x = from; x <= to; x++) {
      assertThat(ImplicitSearchTree.path(x, n)).contains(top);
    }
  }

  @Test
  void readsTimestampsAlongOnePathOnly() {
    int n = 1 << 20;
    AtomicInteger reads = new AtomicInteger();
    LongUnaryOperator time =
        x -> {
          reads.incrementAndGet();
          return x * 10;
        };
    assertThat(RemovalWindow.publishedInDistinguished(12_345, n, time, 1000)).isTrue();
    // One read of the rightmost entry and one per entry on the path (depth 20 at most).
    assertThat(reads.get()).isLessThanOrEqualTo(22);
  }

  @Test
  void anEmptyRangeHasNoDistinguishedEntry() {
    LongUnaryOperator time = x -> x * 10_000;
    // Added in the entry before the removing one's predecessor range: [n-1, n-2] is empty.
    assertThat(RemovalWindow.publishedInDistinguished(4, 5, time, 0)).isFalse();
    assertThat(RemovalWindow.publishedInDistinguished(3, 5, time, 0)).isTrue();
    assertThatThrownBy(() -> RemovalWindow.top(3, 2, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timestampsSurviveChunkBoundaries() {
    LongList list = new LongList();
    for (long i = 0; i < 200_000; i++) {
      list.add(i * 3);
    }
    assertThat(list.size()).isEqualTo(200_000);
    for (long i = 0; i < 200_000; i += 997) {
      assertThat(list.get(i)).isEqualTo(i * 3);
    }
    assertThat(list.get(65_535)).isEqualTo(65_535 * 3);
    assertThat(list.get(65_536)).isEqualTo(65_536 * 3);
    assertThatThrownBy(() -> list.get(200_000)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> list.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
