package org.parley.keytrans.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The versions of a label looked up in a binary ladder, and what the lookups' results establish
 * (draft-ietf-keytrans-protocol, "Binary Ladder", "Binary Ladder" under "Greatest-Version Search",
 * and the appendix "Binary Ladder").
 *
 * <p>A greatest version of {@code -1} means that no version of the label exists. Lookups for
 * versions above {@link #MAX_VERSION} are never made and count as non-inclusion.
 */
public final class BinaryLadder {
  /** The greatest possible version, {@code 2^32-1}. */
  public static final long MAX_VERSION = 0xFFFF_FFFFL;

  /** How the greatest version present in one log entry compares with a target version. */
  public enum Outcome {
    LESS,
    EQUAL,
    GREATER
  }

  private BinaryLadder() {}

  /**
   * The lookups that establish {@code greatest} as the greatest version (appendix {@code
   * base_binary_ladder}): powers of two minus one until the first one above {@code greatest}, then
   * a binary search between the last included and that one.
   */
  public static List<Long> base(long greatest) {
    requireGreatest(greatest);
    List<Long> out = new ArrayList<>();
    greatestVersion(version -> record(out, version, version <= greatest));
    return Collections.unmodifiableList(out);
  }

  /**
   * The lookups of a search binary ladder for {@code target} in a log entry whose greatest version
   * is {@code greatest}: the base ladder up to and including the first inclusion above the target
   * or the first non-inclusion at or below it.
   */
  public static List<Long> search(long target, long greatest) {
    return search(target, greatest, Set.of(), Set.of());
  }

  /**
   * As {@link #search(long, long)}, omitting versions already proved included for an entry to the
   * left ({@code leftInclusion}) or proved absent for an entry to the right ({@code
   * rightNonInclusion}) in the same response (appendix {@code search_binary_ladder}).
   */
  public static List<Long> search(
      long target, long greatest, Set<Long> leftInclusion, Set<Long> rightNonInclusion) {
    requireVersion(target);
    requireGreatest(greatest);
    List<Long> out = new ArrayList<>();
    compare(target, version -> record(out, version, version <= greatest));
    out.removeIf(v -> leftInclusion.contains(v) || rightNonInclusion.contains(v));
    return Collections.unmodifiableList(out);
  }

  /**
   * The lookups of a monitoring binary ladder for {@code target}: the base ladder for the target
   * without the versions above it (appendix {@code monitoring_binary_ladder}).
   */
  public static List<Long> monitoring(long target) {
    requireVersion(target);
    List<Long> out = new ArrayList<>(base(target));
    out.removeIf(v -> v > target);
    return Collections.unmodifiableList(out);
  }

  /**
   * Runs the full ladder against {@code included} (whether a lookup proved the version included)
   * and returns the greatest version it establishes, or {@code -1} when version 0 is absent. {@code
   * included} is asked exactly the versions of {@link #base(long)} for the answer, in order.
   */
  public static long greatestVersion(LongPredicate included) {
    long lower = -1;
    long upper;
    for (int k = 0; ; k++) {
      long version = (1L << k) - 1;
      if (version > MAX_VERSION || !included.test(version)) {
        upper = version;
        break;
      }
      lower = version;
    }
    while (lower + 1 < upper) {
      long version = (lower + upper) >>> 1;
      if (version <= MAX_VERSION && included.test(version)) {
        lower = version;
      } else {
        upper = version;
      }
    }
    return lower;
  }

  /**
   * Runs a search binary ladder for {@code target} against {@code included} and returns how the
   * greatest version compares with the target: GREATER at the first inclusion above the target,
   * LESS at the first non-inclusion at or below it, EQUAL when the ladder completes without either.
   * {@code included} is asked exactly the versions of {@link #search(long, long)}, in order.
   */
  public static Outcome compare(long target, LongPredicate included) {
    requireVersion(target);
    Outcome[] ended = {null};
    greatestVersion(
        version -> {
          if (ended[0] != null) {
            return false; // ended: the rest of the ladder is not looked up
          }
          boolean present = included.test(version);
          if (present && version > target) {
            ended[0] = Outcome.GREATER;
          } else if (!present && version <= target) {
            ended[0] = Outcome.LESS;
          }
          return present;
        });
    return ended[0] == null ? Outcome.EQUAL : ended[0];
  }

  /**
   * Whether version {@code target} exists in a log entry, from its search ladder: it does exactly
   * when the greatest version is not LESS than the target.
   */
  public static boolean exists(long target, LongPredicate included) {
    return compare(target, included) != Outcome.LESS;
  }

  private static boolean record(List<Long> out, long version, boolean present) {
    out.add(version);
    return present;
  }

  private static void requireVersion(long version) {
    if (version < 0 || version > MAX_VERSION) {
      throw new IllegalArgumentException("version must be in [0, 2^32-1]");
    }
  }

  private static void requireGreatest(long greatest) {
    if (greatest < -1 || greatest > MAX_VERSION) {
      throw new IllegalArgumentException("greatest version must be in [-1, 2^32-1]");
    }
  }
}
