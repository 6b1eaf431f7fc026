package org.parley.keytrans.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.parley.keytrans.search.BinaryLadder.Outcome;

class BinaryLadderTest {
  private static final long MAX = BinaryLadder.MAX_VERSION;

  @Test
  void draftExampleOfGreatestVersionSix() {
    // Section "Binary Ladder": inclusion of 0, 1, 3, non-inclusion of 7, inclusion of 5 and 6.
    assertThat(BinaryLadder.base(6)).containsExactly(0L, 1L, 3L, 7L, 5L, 6L);
    List<Long> asked = new ArrayList<>();
    assertThat(BinaryLadder.greatestVersion(recording(asked, 6))).isEqualTo(6);
    assertThat(asked).containsExactly(0L, 1L, 3L, 7L, 5L, 6L);
  }

  @Test
  void edgesOfTheVersionRange() {
    assertThat(BinaryLadder.base(-1)).containsExactly(0L);
    assertThat(BinaryLadder.base(0)).containsExactly(0L, 1L);
    assertThat(BinaryLadder.base(1)).containsExactly(0L, 1L, 3L, 2L);
    // Nothing above 2^32-1 is looked up.
    List<Long> top = BinaryLadder.base(MAX);
    assertThat(top).hasSize(33).allMatch(v -> v <= MAX);
    assertThat(top.get(32)).isEqualTo(MAX);
    assertThat(BinaryLadder.greatestVersion(v -> true)).isEqualTo(MAX);
    assertThat(BinaryLadder.greatestVersion(v -> false)).isEqualTo(-1);
    assertThat(BinaryLadder.monitoring(6)).containsExactly(0L, 1L, 3L, 5L, 6L);
    assertThatThrownBy(() -> BinaryLadder.base(MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BinaryLadder.search(-1, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void searchLaddersStopAtTheFirstDecidingLookup() {
    // Greatest 6, target 6: the full ladder (inclusion of 6 does not end it).
    assertThat(BinaryLadder.search(6, 6)).containsExactly(0L, 1L, 3L, 7L, 5L, 6L);
    // Greatest 6, target 2: ends at the inclusion of 3.
    assertThat(BinaryLadder.search(2, 6)).containsExactly(0L, 1L, 3L);
    // Greatest 6, target 9: ends at the non-inclusion of 7.
    assertThat(BinaryLadder.search(9, 6)).containsExactly(0L, 1L, 3L, 7L);
    // Duplicates proved elsewhere in the response are omitted.
    assertThat(BinaryLadder.search(6, 6, Set.of(0L, 1L), Set.of(7L))).containsExactly(3L, 5L, 6L);
  }

  @Test
  void laddersMatchTheDraftPseudocode() {
    for (long n = -1; n <= 300; n++) {
      assertThat(BinaryLadder.base(n)).as("base %d", n).isEqualTo(draftBase(n));
      for (long t = 0; t <= 300; t++) {
        assertThat(BinaryLadder.search(t, n)).as("search %d %d", t, n).isEqualTo(draftSearch(t, n));
      }
    }
    for (long n : new long[] {MAX, MAX - 1, (1L << 31) - 1, 1L << 31, 123_456_789}) {
      assertThat(BinaryLadder.base(n)).isEqualTo(draftBase(n));
      assertThat(BinaryLadder.search(n, n)).isEqualTo(draftSearch(n, n));
      assertThat(BinaryLadder.search(7, n)).isEqualTo(draftSearch(7, n));
    }
  }

  @Test
  void randomVersionCountsAgainstBruteForce() {
    Random random = new Random(20260818);
    for (int i = 0; i < 20_000; i++) {
      long greatest = randomVersion(random) - 1; // -1: the label does not exist
      long target = randomVersion(random);
      if (target > MAX) {
        target = MAX;
      }
      List<Long> asked = new ArrayList<>();
      assertThat(BinaryLadder.greatestVersion(recording(asked, greatest))).isEqualTo(greatest);
      assertThat(asked).isEqualTo(BinaryLadder.base(greatest));

      asked.clear();
      Outcome expected =
          greatest < target ? Outcome.LESS : greatest == target ? Outcome.EQUAL : Outcome.GREATER;
      assertThat(BinaryLadder.compare(target, recording(asked, greatest))).isEqualTo(expected);
      assertThat(asked).isEqualTo(BinaryLadder.search(target, greatest));
      assertThat(BinaryLadder.exists(target, v -> v <= greatest)).isEqualTo(greatest >= target);
      // Rightmost-entry check of a greatest-version search: EQUAL only for the true greatest.
      assertThat(BinaryLadder.compare(greatest < 0 ? 0 : greatest, v -> v <= greatest))
          .isEqualTo(greatest < 0 ? Outcome.LESS : Outcome.EQUAL);
    }
  }

  private static long randomVersion(Random random) {
    return switch (random.nextInt(3)) {
      case 0 -> random.nextInt(70);
      case 1 -> random.nextInt(1 << 16);
      default -> random.nextLong(MAX + 2);
    };
  }

  private static LongPredicate recording(List<Long> asked, long greatest) {
    return v -> {
      asked.add(v);
      return v <= greatest;
    };
  }

  // A line-by-line port of the appendix's base_binary_ladder, with n = -1 (no version) giving
  // [0] where the Python would index out[-2] of a one-element list.
  private static List<Long> draftBase(long n) {
    List<Long> out = new ArrayList<>();
    while (true) {
      long value = (1L << out.size()) - 1;
      out.add(value);
      if (value > n) {
        break;
      }
    }
    if (out.size() < 2) {
      return out;
    }
    long lower = out.get(out.size() - 2);
    long upper = out.get(out.size() - 1);
    while (lower + 1 < upper) {
      long value = (lower + upper) / 2;
      out.add(value);
      if (value <= n && value < (1L << 32)) {
        lower = value;
      } else {
        upper = value;
      }
    }
    return out.stream().filter(v -> v < (1L << 32)).toList();
  }

  private static List<Long> draftSearch(long t, long n) {
    List<Long> out = draftBase(n);
    int end = out.size();
    for (int i = 0; i < out.size(); i++) {
      long v = out.get(i);
      if ((v <= n && v > t) || (v > n && v <= t)) {
        end = i + 1;
        break;
      }
    }
    return out.subList(0, end);
  }
}
