package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.search.BinaryLadder.Outcome;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * Updating the view of the tree, and the greatest-version and fixed-version searches
 * (draft-ietf-keytrans-protocol, "Updating Views of the Tree", "Greatest-Version Search",
 * "Fixed-Version Search"), run identically by the log and the user over a {@link ProofWalk}.
 */
public final class Searches {
  private Searches() {}

  /**
   * Where a search ended: the terminal entry, and whether the user must monitor the label-version
   * pair from there (the terminal entry is right of the rightmost distinguished one, or there is
   * none).
   */
  public record Terminal(long position, boolean mustMonitor) {}

  /** Asks for the timestamps that move the user's view to the walk's tree size. */
  public static void updateView(ProofWalk walk) throws InvalidProofException {
    long last = walk.retained() == null ? 0 : walk.retained().treeSize();
    for (long x : ImplicitSearchTree.viewUpdateEntries(last, walk.treeSize())) {
      walk.timestamp(x);
    }
  }

  /**
   * A greatest-version search for the claimed greatest version {@code greatest}: from the rightmost
   * distinguished entry (or the root) down the frontier, no entry may hold a greater version and
   * the rightmost must hold exactly it.
   */
  public static Terminal greatestVersion(ProofWalk walk, Configuration config, long greatest)
      throws InvalidProofException {
    long window = config.reasonableMonitoringWindow();
    long n = walk.treeSize();
    long start = walk.rightmostDistinguishedOrRoot(window);
    Long terminal = null;
    for (long x : frontierFrom(start, n)) {
      Outcome outcome = walk.searchLadder(x, greatest, true);
      if (outcome == Outcome.GREATER) {
        throw new InvalidProofException(
            "log entry "
                + x
                + " holds a version above the claimed "
                + "greatest version "
                + greatest);
      }
      if (x == n - 1 && outcome != Outcome.EQUAL) {
        throw new InvalidProofException(
            "the rightmost log entry does not hold version " + greatest + " as its greatest");
      }
      if (outcome == Outcome.EQUAL && terminal == null) {
        terminal = x;
      }
    }
    return new Terminal(terminal, mustMonitor(walk, window, terminal));
  }

  /**
   * A fixed-version search for {@code target}, following the draft's algorithm step by step; the
   * search fails with {@link InvalidProofException} when the version does not exist or is expired.
   */
  public static Terminal fixedVersion(ProofWalk walk, Configuration config, long target)
      throws InvalidProofException {
    long window = config.reasonableMonitoringWindow();
    OptionalLong lifetime = config.maximumLifetime();
    long n = walk.treeSize();
    List<long[]> inspected = new ArrayList<>(); // {position, outcome ordinal}
    boolean sawExpired = false;
    long x = ImplicitSearchTree.root(n);
    while (true) {
      walk.timestamp(x);
      if (walk.isExpired(x, lifetime)) {
        sawExpired = true;
        if (!ImplicitSearchTree.hasRight(x, n)) {
          break;
        }
        x = ImplicitSearchTree.right(x, n);
        continue;
      }
      Outcome outcome = walk.searchLadder(x, target, true);
      inspected.add(new long[] {x, outcome.ordinal()});
      if (outcome == Outcome.EQUAL) {
        return equalFound(walk, config, x);
      }
      boolean right = outcome == Outcome.LESS;
      if (right ? !ImplicitSearchTree.hasRight(x, n) : !ImplicitSearchTree.hasLeft(x, n)) {
        break;
      }
      x = right ? ImplicitSearchTree.right(x, n) : ImplicitSearchTree.left(x, n);
    }
    // Step 6: no unexpired entry where the target is the greatest.
    Long identified = null;
    for (long[] entry : inspected) {
      if (entry[1] == Outcome.GREATER.ordinal() && (identified == null || entry[0] < identified)) {
        identified = entry[0];
      }
    }
    if (identified == null) {
      throw new InvalidProofException("version " + target + " of the label does not exist");
    }
    if (sawExpired) {
      Long leftmostDistinguished = null;
      for (long[] entry : inspected) {
        long y = entry[0];
        if (walk.isDistinguished(y, window)
            && !walk.isExpired(y, lifetime)
            && (leftmostDistinguished == null || y < leftmostDistinguished)) {
          leftmostDistinguished = y;
        }
      }
      if (leftmostDistinguished == null || leftmostDistinguished >= identified) {
        throw new InvalidProofException("version " + target + " of the label is expired");
      }
    }
    boolean[] found = walk.lookups(identified, List.of(target));
    if (!found[0]) {
      throw new InvalidProofException("version " + target + " of the label does not exist");
    }
    return new Terminal(identified, mustMonitor(walk, window, identified));
  }

  private static Terminal equalFound(ProofWalk walk, Configuration config, long x)
      throws InvalidProofException {
    long window = config.reasonableMonitoringWindow();
    long n = walk.treeSize();
    List<Long> directPath = ImplicitSearchTree.directPath(x, n);
    boolean anyExpired = false;
    for (long y : directPath) {
      anyExpired |= walk.isExpired(y, config.maximumLifetime());
    }
    if (anyExpired) {
      boolean anchored = walk.isDistinguished(x, window);
      for (long y : directPath) {
        anchored |=
            y < x
                && walk.isDistinguished(y, window)
                && !walk.isExpired(y, config.maximumLifetime());
      }
      if (!anchored) {
        throw new InvalidProofException("the target version of the label is expired");
      }
    }
    return new Terminal(x, mustMonitor(walk, window, x));
  }

  private static boolean mustMonitor(ProofWalk walk, long window, long terminal)
      throws InvalidProofException {
    OptionalLong rightmost =
        org.parley.keytrans.search.Distinguished.rightmost(
            walk.treeSize(), x -> knownTimestamp(walk, x), window);
    return rightmost.isEmpty() || terminal > rightmost.getAsLong();
  }

  // Every frontier timestamp is known once the view is updated, so this never reads the proof.
  private static long knownTimestamp(ProofWalk walk, long x) {
    if (!walk.knowsTimestamp(x)) {
      throw new IllegalStateException(
          "frontier timestamp of " + x + " read before the view update");
    }
    try {
      return walk.timestamp(x);
    } catch (InvalidProofException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Long> frontierFrom(long start, long n) {
    List<Long> frontier = ImplicitSearchTree.frontier(n);
    int i = frontier.indexOf(start);
    if (i < 0) {
      throw new IllegalArgumentException(start + " is not on the frontier");
    }
    return frontier.subList(i, frontier.size());
  }

  /** The versions whose VRF proofs a search response carries for {@code target}: its ladder. */
  public static List<Long> ladderVersions(long target) {
    return BinaryLadder.search(target, target);
  }
}
