package org.parley.keytrans.combined;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.log.InvalidProofException;
import org.parley.keytrans.search.BinaryLadder.Outcome;
import org.parley.keytrans.search.ImplicitSearchTree;

/**
 * Contact monitoring and the label owner's two algorithms (draft-ietf-keytrans-protocol,
 * "Monitoring the Tree": "Contact Algorithm" and "Owner Algorithm"), over a {@link ProofWalk}.
 */
public final class Monitoring {
  private Monitoring() {}

  /**
   * The contact algorithm: moves each monitored (position, version) pair up its direct path with
   * monitoring ladders until it reaches a distinguished entry, then drops it.
   *
   * @param map position of the entry -> version monitored there
   * @param ownerStart the owner's advertised start, when run inside owner monitoring
   * @return the map to retain
   */
  public static NavigableMap<Long, Long> contact(
      ProofWalk walk, Configuration config, NavigableMap<Long, Long> map, OptionalLong ownerStart)
      throws InvalidProofException {
    long window = config.reasonableMonitoringWindow();
    long n = walk.treeSize();
    TreeMap<Long, Long> out = new TreeMap<>(map);
    for (Map.Entry<Long, Long> entry : map.descendingMap().entrySet()) {
      long position = entry.getKey();
      long version = entry.getValue();
      if (position >= n) {
        throw new IllegalArgumentException("monitored entry " + position + " is beyond the tree");
      }
      if (walk.isDistinguished(position, window)) {
        continue;
      }
      List<Long> list = new ArrayList<>();
      for (long y : ImplicitSearchTree.directPath(position, n)) {
        if (y < position) {
          continue;
        }
        list.add(y);
        if (walk.isDistinguished(y, window)) {
          break;
        }
      }
      if (ownerStart.isPresent()
          && position >= ownerStart.getAsLong()
          && !list.isEmpty()
          && walk.isDistinguished(list.get(list.size() - 1), window)) {
        list.remove(list.size() - 1); // owner monitoring inspects it
      }
      long current = position;
      for (long y : list) {
        Long earlier = walk.ladderTarget(y);
        if (earlier != null) {
          if (earlier > version) {
            out.remove(current, version);
            current = -1;
            break;
          }
          throw new InvalidProofException(
              "entry "
                  + y
                  + " already had a ladder for version "
                  + earlier
                  + ", not above the monitored version "
                  + version);
        }
        walk.monitoringLadder(y, version);
        out.remove(current, version);
        out.merge(y, version, Math::max);
        current = y;
      }
    }
    out.keySet().removeIf(position -> isDistinguished(walk, position, window));
    return out;
  }

  private static boolean isDistinguished(ProofWalk walk, long x, long window) {
    try {
      return walk.isDistinguished(x, window);
    } catch (InvalidProofException e) {
      throw new IllegalStateException("every timestamp on a monitored path is known by now", e);
    }
  }

  /**
   * The entries the owner's first algorithm inspects: {@code start}, then the entries on its direct
   * path to its left, ending before the first expired one. Reads the path timestamps first and
   * requires {@code start} to be distinguished and unexpired.
   */
  public static List<Long> ownerInitEntries(ProofWalk walk, Configuration config, long start)
      throws InvalidProofException {
    long n = walk.treeSize();
    if (start < 0 || start >= n) {
      throw new InvalidProofException("starting position " + start + " is not in the tree");
    }
    for (long x : ImplicitSearchTree.path(start, n)) {
      walk.timestamp(x);
    }
    OptionalLong lifetime = config.maximumLifetime();
    if (!walk.isDistinguished(start, config.reasonableMonitoringWindow())
        || walk.isExpired(start, lifetime)) {
      throw new InvalidProofException(
          "starting position " + start + " is not an unexpired distinguished entry");
    }
    List<Long> list = new ArrayList<>();
    list.add(start);
    for (long y : ImplicitSearchTree.directPath(start, n)) {
      if (y > start) {
        continue;
      }
      if (walk.isExpired(y, lifetime)) {
        break;
      }
      list.add(y);
    }
    return list;
  }

  /**
   * The owner's first algorithm, step 5: a full search ladder from each listed entry for the
   * claimed greatest version there (0 where the label is claimed absent), each consistent with the
   * claim. {@code greatestVersions} is non-increasing and no longer than the list.
   */
  public static void ownerInit(ProofWalk walk, List<Long> entries, List<Long> greatestVersions)
      throws InvalidProofException {
    if (greatestVersions.size() > entries.size()) {
      throw new InvalidProofException("more greatest versions than inspected entries");
    }
    for (int i = 1; i < greatestVersions.size(); i++) {
      if (greatestVersions.get(i) > greatestVersions.get(i - 1)) {
        throw new InvalidProofException("greatest versions must not increase to the left");
      }
    }
    for (int i = 0; i < entries.size(); i++) {
      boolean exists = i < greatestVersions.size();
      long target = exists ? greatestVersions.get(i) : 0;
      Outcome outcome = walk.searchLadder(entries.get(i), target, false);
      if (outcome != (exists ? Outcome.EQUAL : Outcome.LESS)) {
        throw new InvalidProofException(
            "entry "
                + entries.get(i)
                + " does not hold "
                + (exists ? "version " + target + " as its greatest" : "no version of the label"));
      }
    }
  }

  /**
   * Decides, for the log, when owner monitoring stops early; the user stops when proofs run out.
   */
  public interface OwnerStop {
    /** Whether to stop before the ladder from {@code x} whose expected greatest is given. */
    boolean stopBefore(long x, long expectedGreatest);
  }

  /**
   * The owner's second algorithm from the root: a full search ladder from each distinguished entry
   * right of {@code start}, for the greatest version the owner expects there.
   *
   * @param insertedAt position -> greatest version of the label created in that entry, as the owner
   *     knows it
   * @return the rightmost distinguished entry verified, or {@code start} if none was
   */
  public static long owner(
      ProofWalk walk,
      Configuration config,
      long start,
      NavigableMap<Long, Long> insertedAt,
      OwnerStop stop)
      throws InvalidProofException {
    OwnerWalk owner =
        new OwnerWalk(walk, config.reasonableMonitoringWindow(), start, insertedAt, stop);
    owner.visit(ImplicitSearchTree.root(walk.treeSize()));
    return owner.verified;
  }

  private static final class OwnerWalk {
    private final ProofWalk walk;
    private final long window;
    private final long start;
    private final NavigableMap<Long, Long> insertedAt;
    private final OwnerStop stop;
    private boolean stopped;
    long verified;

    OwnerWalk(
        ProofWalk walk,
        long window,
        long start,
        NavigableMap<Long, Long> insertedAt,
        OwnerStop stop) {
      this.walk = walk;
      this.window = window;
      this.start = start;
      this.insertedAt = insertedAt;
      this.stop = stop;
      this.verified = start;
    }

    void visit(long x) throws InvalidProofException {
      long n = walk.treeSize();
      if (stopped || !walk.isDistinguished(x, window)) {
        return;
      }
      if (x <= start) {
        if (ImplicitSearchTree.hasRight(x, n)) {
          visit(ImplicitSearchTree.right(x, n));
        }
        return;
      }
      if (ImplicitSearchTree.hasLeft(x, n)) {
        visit(ImplicitSearchTree.left(x, n));
      }
      Map.Entry<Long, Long> known = insertedAt.floorEntry(x);
      long expected = known == null ? -1 : known.getValue();
      if (stopped || stop.stopBefore(x, expected)) {
        stopped = true;
        return;
      }
      Outcome outcome = walk.searchLadder(x, Math.max(expected, 0), false);
      if (outcome != (expected >= 0 ? Outcome.EQUAL : Outcome.LESS)) {
        throw new InvalidProofException(
            "distinguished entry "
                + x
                + " does not hold "
                + (expected >= 0 ? "version " + expected + " as its greatest" : "no version")
                + ": a version the owner did not make");
      }
      verified = Math.max(verified, x);
      if (ImplicitSearchTree.hasRight(x, n)) {
        visit(ImplicitSearchTree.right(x, n));
      }
    }
  }
}
