package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.search.BinaryLadder;
import org.parley.keytrans.search.BinaryLadder.Outcome;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * The label owner's check that new versions were inserted correctly (draft-ietf-keytrans-protocol,
 * "Updating a Label / Algorithm"), over a {@link ProofWalk}.
 */
public final class LabelUpdates {
  private LabelUpdates() {}

  /**
   * What the owner knew before the new versions.
   *
   * @param greatest the previous greatest version, or -1 if none existed
   * @param floor the entry up to which the owner knows the label as it is: the larger of its
   *     starting position and where its previous greatest version went (-1 if neither); the log,
   *     which does not know the owner's start, passes where the previous greatest version went
   */
  public record OwnerState(long greatest, long floor) {}

  /**
   * Where the new versions went.
   *
   * @param position the log entry where they were inserted
   * @param newGreatest the greatest of them; the new versions are {@code previous+1..newGreatest}
   * @param monitorFromPosition true when the owner must add (position -> newGreatest) to its
   *     contact monitoring map (the entry is not distinguished)
   */
  public record Result(long position, long newGreatest, boolean monitorFromPosition) {}

  /**
   * The versions whose VRF proofs an {@code UpdateResponse} carries, ascending: the search ladder
   * of the new greatest version, plus each new version when there are several, minus the ladder of
   * the previous greatest version (or minus version 0 when there was none).
   */
  public static List<Long> ladderVersions(long previousGreatest, long newGreatest) {
    java.util.TreeSet<Long> out =
        new java.util.TreeSet<>(BinaryLadder.search(newGreatest, newGreatest));
    if (newGreatest - previousGreatest > 1) {
      for (long v = previousGreatest + 1; v <= newGreatest; v++) {
        out.add(v);
      }
    }
    if (previousGreatest >= 0) {
      out.removeAll(BinaryLadder.search(previousGreatest, previousGreatest));
    } else {
      out.remove(0L);
    }
    return List.copyOf(out);
  }

  /** Runs the algorithm; throws when the new versions were not inserted as claimed. */
  public static Result verify(
      ProofWalk walk, Configuration config, OwnerState owner, long position, long newGreatest)
      throws InvalidProofException {
    long n = walk.treeSize();
    long window = config.reasonableMonitoringWindow();
    if (position < 0 || position >= n) {
      throw new InvalidProofException("update position " + position + " is not in the tree");
    }
    if (newGreatest <= owner.greatest() || newGreatest > BinaryLadder.MAX_VERSION) {
      throw new InvalidProofException("the update creates no new version");
    }
    long floor = owner.floor();
    if (position <= floor) {
      throw new InvalidProofException(
          "update position "
              + position
              + " is not right of the previous version or the owner's start");
    }
    // Phase 1: a greatest-version search in the previous tree (entries 0..position-1).
    if (position > 0) {
      List<Long> previousFrontier = ImplicitSearchTree.frontier(position);
      int first = previousFrontier.size();
      for (int i = 0; i < previousFrontier.size(); i++) {
        if (!walk.isDistinguished(previousFrontier.get(i), window)) {
          first = i;
          break;
        }
      }
      // Parley inspects every listed entry instead of skipping those at or left of the floor
      // (the draft's step 2.1): the log does not know the owner's start, and a skip that depends
      // on it would make the two sides disagree on the proof's contents. Left of the floor the
      // previous version may not exist yet, so there only a greater version is an error.
      for (long x : previousFrontier.subList(first, previousFrontier.size())) {
        long target = Math.max(owner.greatest(), 0);
        Outcome outcome = walk.searchLadder(x, target, true);
        Outcome expected = owner.greatest() >= 0 ? Outcome.EQUAL : Outcome.LESS;
        if (outcome == Outcome.GREATER || (x > floor && outcome != expected)) {
          throw new InvalidProofException(
              "entry "
                  + x
                  + " of the previous tree does not hold "
                  + (owner.greatest() >= 0
                      ? "version " + owner.greatest() + " as its greatest"
                      : "no version")
                  + ": a version the owner was not told of");
        }
      }
    }
    // Phase 2: how the new versions were created in the entry.
    List<Long> ladder = BinaryLadder.search(newGreatest, newGreatest);
    List<Long> others = new ArrayList<>();
    for (long v = owner.greatest() + 1; v <= newGreatest; v++) {
      if (!ladder.contains(v)) {
        others.add(v);
      }
    }
    boolean distinguished = walk.isDistinguished(position, window);
    if (!distinguished) {
      Outcome outcome = walk.searchLadder(position, newGreatest, true);
      if (outcome != Outcome.EQUAL) {
        throw new InvalidProofException(
            "entry " + position + " does not hold version " + newGreatest + " as its greatest");
      }
    }
    if (!others.isEmpty()) {
      boolean[] found = walk.lookups(position, others);
      for (int i = 0; i < found.length; i++) {
        if (!found[i]) {
          throw new InvalidProofException(
              "new version " + others.get(i) + " is missing from entry " + position);
        }
      }
    }
    return new Result(position, newGreatest, !distinguished);
  }
}
