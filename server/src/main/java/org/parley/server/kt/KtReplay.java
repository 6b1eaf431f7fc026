package org.parley.server.kt;

import java.util.ArrayList;
import java.util.List;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.InvalidTreeHeadException;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.vrf.VrfException;
import org.parley.keytrans.vrf.VrfProof;

/**
 * Between the in-memory log and its storage: the rows an epoch writes, and the rebuild on start,
 * which checks every stored entry against the root it recomputes and the last head's signature.
 */
final class KtReplay {
  private KtReplay() {}

  /** Rebuilds {@code log} (empty) from {@code store}, checking every entry's prefix root. */
  static void replay(KtStore store, TransparencyLog log) {
    follow(store, log);
  }

  /**
   * Appends to {@code log} the entries {@code store} has beyond it, checking each one's prefix
   * root, and adopts the stored head of the last (checking its signature): how a server that does
   * not publish keeps up with the one that does. Returns how many entries it appended. The caller
   * excludes readers: between the first entry and the head the log has no head.
   */
  static long follow(KtStore store, TransparencyLog log) {
    long from = log.size();
    long size = store.size();
    if (size <= from) {
      return 0;
    }
    KtEntry[] last = new KtEntry[1];
    store.forEachEpoch(
        from,
        size,
        epoch -> {
          List<PreparedVersion> versions = new ArrayList<>();
          for (KtVersion stored : epoch.versions()) {
            versions.add(prepared(log, stored));
          }
          KtEntry entry = epoch.entry();
          TransparencyLog.StagedEpoch staged = log.stage(entry.timestamp(), versions, false);
          if (!staged.tree().root().equals(HashValue.of(entry.prefixRoot()))) {
            throw new IllegalStateException(
                "stored key-transparency entry "
                    + entry.position()
                    + " does not rebuild to its stored prefix root: the log storage is corrupt");
          }
          log.commit(staged);
          last[0] = entry;
        });
    if (log.size() != size) {
      throw new IllegalStateException(
          "the key-transparency log has gaps: " + log.size() + " of " + size + " entries replayed");
    }
    try {
      log.adoptHead(new TreeHead(size, last[0].treeHeadSignature()));
    } catch (InvalidTreeHeadException e) {
      throw new IllegalStateException(
          "the stored key-transparency head does not verify with the "
              + "keys in the data directory (kt/): restore the original key files",
          e);
    }
    return size - from;
  }

  private static PreparedVersion prepared(TransparencyLog log, KtVersion stored) {
    Label label = new Label(stored.label());
    UpdateValue value = UpdateValue.of(stored.value());
    Opening opening = Opening.of(stored.opening());
    VrfProof proof = new VrfProof(stored.vrfProof());
    try {
      SearchKey key = SearchKey.of(log.config().suite().vrfOutput(proof));
      return new PreparedVersion(
          label,
          stored.version(),
          value,
          opening,
          Commitments.commit(log.config().suite(), opening, label, stored.version(), value),
          proof,
          key);
    } catch (VrfException e) {
      throw new IllegalStateException("stored VRF proof of a label version does not decode", e);
    }
  }

  /** The rows of one staged epoch. */
  static KtEpoch epochOf(TransparencyLog.StagedEpoch staged, List<KtPending> published) {
    List<KtLeaf> leaves = new ArrayList<>();
    List<KtVersion> versions = new ArrayList<>();
    for (PreparedVersion v : staged.versions()) {
      leaves.add(new KtLeaf(v.searchKey().toByteArray(), v.commitment().bytes()));
      versions.add(
          new KtVersion(
              v.label().bytes(),
              v.version(),
              staged.position(),
              v.vrfProof().bytes(),
              v.opening().bytes(),
              v.value().value()));
    }
    KtEntry entry =
        new KtEntry(
            staged.position(),
            staged.timestamp(),
            staged.tree().root().toByteArray(),
            staged.head().signature());
    return new KtEpoch(entry, leaves, versions, published);
  }
}
