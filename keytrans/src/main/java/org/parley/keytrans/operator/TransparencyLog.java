package org.parley.keytrans.operator;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.parley.keytrans.combined.LabelKeys;
import org.parley.keytrans.combined.LogData;
import org.parley.keytrans.combined.ProvingWalk;
import org.parley.keytrans.combined.RetainedView;
import org.parley.keytrans.commit.Commitment;
import org.parley.keytrans.commit.Commitments;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.Opening;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.commit.VrfInput;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.FullTreeHead;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.log.HashValue;
import org.parley.keytrans.log.InclusionProof;
import org.parley.keytrans.log.LogEntry;
import org.parley.keytrans.log.LogTree;
import org.parley.keytrans.log.LogTreeHash;
import org.parley.keytrans.log.ProofScope;
import org.parley.keytrans.prefix.PrefixTree;
import org.parley.keytrans.prefix.SearchKey;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfException;
import org.parley.keytrans.vrf.VrfProof;
import org.parley.keytrans.vrf.VrfSecretKey;

/**
 * The log operator's state, in memory: the log tree, one prefix tree per entry (persistent, so they
 * share every untouched node), every label's versions, and the latest signed tree head. Pure: the
 * server persists what {@link #appendEpoch} takes and replays it on start.
 *
 * <p>Not thread-safe; the server serialises appends and answers queries under its own lock.
 */
public final class TransparencyLog implements LogData {
  private static final int VRF_CACHE = 4096;

  private final Configuration config;
  private final SignatureSecretKey signingKey;
  private final VrfSecretKey vrfKey;
  private final ProofSeal seal;
  private final LogTree logTree = new LogTree(LogTreeHash.SHA256);
  private final List<Long> timestamps = new ArrayList<>();
  private final List<PrefixTree> trees = new ArrayList<>();
  private final List<List<org.parley.keytrans.prefix.PrefixLeaf>> added = new ArrayList<>();
  private final List<List<SearchKey>> removedAt = new ArrayList<>();
  private final Map<Label, LabelHistory> labels = new HashMap<>();
  private final Map<VrfInput, VrfProof> absentVrf =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<VrfInput, VrfProof> eldest) {
          return size() > VRF_CACHE;
        }
      };
  private TreeHead head;

  public TransparencyLog(Configuration config, SignatureSecretKey signingKey, VrfSecretKey vrfKey) {
    if (!config.suite().signatureScheme().publicKey(signingKey).equals(config.signaturePublicKey())
        || !config.suite().vrf().publicKey(vrfKey).equals(config.vrfPublicKey())) {
      throw new IllegalArgumentException("keys do not match the configuration");
    }
    this.config = config;
    this.signingKey = signingKey;
    this.vrfKey = vrfKey;
    this.seal = new ProofSeal(vrfKey, config.vrfPublicKey());
  }

  public Configuration config() {
    return config;
  }

  /** The latest signed tree head, empty before the first entry. */
  public Optional<TreeHead> head() {
    return Optional.ofNullable(head);
  }

  /** The greatest version of {@code label}, or -1 if it has none. */
  public long greatestVersion(Label label) {
    LabelHistory history = labels.get(label);
    return history == null ? -1 : history.greatest();
  }

  /** A stored version of a label. */
  public Optional<LabelVersion> version(Label label, long version) {
    LabelHistory history = labels.get(label);
    return history == null || version < 0 || version > history.greatest()
        ? Optional.empty()
        : Optional.of(history.get(version));
  }

  /** The versions of {@code label} created in entry {@code position}, ascending. */
  public List<LabelVersion> createdAt(Label label, long position) {
    LabelHistory history = labels.get(label);
    return history == null ? List.of() : history.createdAt(position);
  }

  /** The greatest version of {@code label} present in entry {@code position}, or -1. */
  public long greatestAt(Label label, long position) {
    LabelHistory history = labels.get(label);
    return history == null ? -1 : history.greatestAt(position);
  }

  /** Makes version {@code version} of {@code label} with a fresh opening, ready to append. */
  public PreparedVersion prepare(
      Label label, long version, UpdateValue value, SecureRandom random) {
    return prepare(proveVersion(label, version), value, random);
  }

  /**
   * The VRF proof of one label version: the costly part of {@link #prepare} (about 0.3 ms, against
   * microseconds for the commitment), and a function of the label, the version and the VRF key
   * only, so it may be computed ahead of time and on any thread. Safe to call concurrently with
   * anything, including {@link #commit}: it reads nothing that changes.
   */
  public ProvenLabelVersion proveVersion(Label label, long version) {
    LabelHistory.requireVersion(version);
    VrfProof proof =
        config
            .suite()
            .vrf()
            .prove(vrfKey, config.vrfPublicKey(), VrfInput.of(label, version).encode());
    return new ProvenLabelVersion(label, version, proof, searchKeyOf(proof), config.vrfPublicKey());
  }

  /**
   * A proof of {@link #proveVersion} as bytes to keep outside the log until the entry that uses it
   * ({@link #unseal} takes it back): tagged with a MAC under a key derived from this log's VRF key,
   * so storage that holds it cannot change it unnoticed.
   */
  public byte[] seal(ProvenLabelVersion proven) {
    if (!proven.vrfPublicKey().equals(config.vrfPublicKey())) {
      throw new IllegalArgumentException("the label version was proven with another log's key");
    }
    return seal.seal(proven);
  }

  /**
   * The proof {@link #seal} sealed for exactly this label and version by this log; empty for
   * anything else (another label or version, another log's key, altered or truncated bytes), which
   * the caller then proves again. Microseconds, safe to call concurrently with anything.
   */
  public Optional<ProvenLabelVersion> unseal(Label label, long version, byte[] sealed) {
    return seal.open(label, version, sealed);
  }

  /**
   * Makes a label version from its proof (see {@link #proveVersion}) with a fresh opening.
   *
   * @throws IllegalArgumentException if the proof was made with another log's VRF key
   */
  public PreparedVersion prepare(
      ProvenLabelVersion proven, UpdateValue value, SecureRandom random) {
    if (!proven.vrfPublicKey().equals(config.vrfPublicKey())) {
      throw new IllegalArgumentException("the label version was proven with another log's key");
    }
    Opening opening = Opening.random(random);
    Commitment commitment =
        Commitments.commit(config.suite(), opening, proven.label(), proven.version(), value);
    return new PreparedVersion(
        proven.label(),
        proven.version(),
        value,
        opening,
        commitment,
        proven.vrfProof(),
        proven.searchKey());
  }

  /**
   * A log entry computed but not yet appended: the server persists it, then {@link #commit}s it, so
   * that nothing is served that storage does not hold.
   *
   * @param head the signed head of the tree with this entry, or null when staged unsigned
   */
  public record StagedEpoch(
      long position,
      long timestamp,
      List<PreparedVersion> versions,
      PrefixTree tree,
      HashValue logRoot,
      TreeHead head,
      List<org.parley.keytrans.prefix.PrefixLeaf> strayLeaves,
      List<SearchKey> removed) {}

  /**
   * Computes the next log entry holding {@code versions} (each label's new versions contiguous
   * after its greatest) without changing the log.
   *
   * @param sign false while replaying stored entries, where only the last head needs a signature
   */
  public StagedEpoch stage(long timestamp, List<PreparedVersion> versions, boolean sign) {
    return stage(timestamp, versions, sign, List.of(), List.of());
  }

  /**
   * As {@link #stage(long, List, boolean)}, also adding leaves that belong to no label version and
   * removing leaves. An honest Parley log does neither; this exists so that tests can make a server
   * misbehave as a compromised operator would (a version shown, then removed).
   */
  public StagedEpoch stage(
      long timestamp,
      List<PreparedVersion> versions,
      boolean sign,
      List<org.parley.keytrans.prefix.PrefixLeaf> strayLeaves,
      List<SearchKey> removed) {
    return staging().stage(timestamp, versions, sign, strayLeaves, removed);
  }

  /**
   * Starts staging entries one after another on top of the log as it is now, none of them
   * committed: a server that stores several entries in one transaction stages them all, stores
   * them, and only then {@link #commit}s each, in order. Each entry staged sees the versions,
   * leaves and timestamps of those staged before it. The staging is of no more use once the log
   * changes by other means (a commit of anything but its own entries, in order).
   */
  public Staging staging() {
    return new Staging();
  }

  /** Entries staged in a row, none committed; see {@link #staging()}. Not thread-safe. */
  public final class Staging {
    private final long base = size();
    private final List<StagedEpoch> staged = new ArrayList<>();
    private final Map<Label, Long> greatest = new HashMap<>();
    private org.parley.keytrans.log.FullSubtrees subtrees; // with the last staged entry

    private Staging() {}

    /** As {@link TransparencyLog#stage(long, List, boolean)}, after the entries staged so far. */
    public StagedEpoch stage(long timestamp, List<PreparedVersion> versions, boolean sign) {
      return stage(timestamp, versions, sign, List.of(), List.of());
    }

    /**
     * As {@link TransparencyLog#stage(long, List, boolean, List, List)}, after the entries staged
     * so far.
     */
    public StagedEpoch stage(
        long timestamp,
        List<PreparedVersion> versions,
        boolean sign,
        List<org.parley.keytrans.prefix.PrefixLeaf> strayLeaves,
        List<SearchKey> removed) {
      if (size() != base) {
        throw new IllegalStateException("the log changed since this staging began");
      }
      boolean first = staged.isEmpty();
      if (!first || !timestamps.isEmpty()) {
        long last = first ? timestamps.getLast() : staged.getLast().timestamp();
        if (Long.compareUnsigned(timestamp, last) < 0) {
          throw new IllegalArgumentException("timestamps must not go backwards");
        }
      }
      Map<Label, Long> next = new HashMap<>();
      Map<SearchKey, HashValue> leaves = new HashMap<>();
      PrefixTree previous =
          !first
              ? staged.getLast().tree()
              : trees.isEmpty() ? PrefixTree.empty(config.suite()) : trees.getLast();
      for (PreparedVersion v : versions) {
        long expected =
            next.computeIfAbsent(v.label(), l -> greatest.getOrDefault(l, greatestVersion(l)) + 1);
        if (v.version() != expected) {
          throw new IllegalArgumentException(
              "version " + v.version() + " of " + v.label() + " where " + expected + " comes next");
        }
        next.put(v.label(), expected + 1);
        HashValue commitment = HashValue.of(v.commitment().bytes());
        if (previous.get(v.searchKey()).isPresent()
            || leaves.put(v.searchKey(), commitment) != null) {
          throw new IllegalArgumentException("search key already in the prefix tree");
        }
      }
      for (org.parley.keytrans.prefix.PrefixLeaf stray : strayLeaves) {
        leaves.put(stray.vrfOutput(), stray.commitment());
      }
      PrefixTree tree = previous.apply(leaves, java.util.Set.copyOf(removed));
      HashValue leaf = LogTreeHash.SHA256.leafValue(new LogEntry(timestamp, tree.root()));
      long size = base + staged.size();
      org.parley.keytrans.log.FullSubtrees with =
          size == 0
              ? new org.parley.keytrans.log.FullSubtrees(1, List.of(leaf))
              : (subtrees != null ? subtrees : logTree.fullSubtrees(size))
                  .append(LogTreeHash.SHA256, leaf);
      HashValue logRoot = size == 0 ? leaf : with.root(LogTreeHash.SHA256);
      TreeHead signed = sign ? TreeHeads.sign(signingKey, config, size + 1, logRoot) : null;
      StagedEpoch epoch =
          new StagedEpoch(
              size,
              timestamp,
              List.copyOf(versions),
              tree,
              logRoot,
              signed,
              List.copyOf(strayLeaves),
              List.copyOf(removed));
      next.forEach((label, n) -> greatest.put(label, n - 1));
      subtrees = with;
      staged.add(epoch);
      return epoch;
    }

    /** The entries staged so far, in order. */
    public List<StagedEpoch> epochs() {
      return List.copyOf(staged);
    }
  }

  /** Appends a staged entry; it must be the next one. Returns its position. */
  public long commit(StagedEpoch staged) {
    if (staged.position() != size()) {
      throw new IllegalStateException(
          "staged entry " + staged.position() + " is not the next (" + size() + ")");
    }
    long position = staged.position();
    trees.add(staged.tree());
    timestamps.add(staged.timestamp());
    logTree.append(new LogEntry(staged.timestamp(), staged.tree().root()));
    List<org.parley.keytrans.prefix.PrefixLeaf> leaves = new ArrayList<>();
    for (PreparedVersion v : staged.versions()) {
      labels.computeIfAbsent(v.label(), l -> new LabelHistory()).add(v.at(position));
      leaves.add(
          new org.parley.keytrans.prefix.PrefixLeaf(
              v.searchKey(), HashValue.of(v.commitment().bytes())));
    }
    leaves.addAll(staged.strayLeaves());
    added.add(List.copyOf(leaves));
    removedAt.add(List.copyOf(staged.removed()));
    head = staged.head();
    return position;
  }

  /** Stages and commits in one step (tests, tools and replays). */
  public long appendEpoch(long timestamp, List<PreparedVersion> versions, boolean sign) {
    return commit(stage(timestamp, versions, sign));
  }

  /** Signs the head of the current tree (after a replay with {@code sign = false}). */
  public TreeHead signHead() {
    head = TreeHeads.sign(signingKey, config, size(), logTree.root(size()));
    return head;
  }

  /**
   * Adopts a stored signed head of the current tree after a replay, checking its signature.
   *
   * @throws org.parley.keytrans.head.InvalidTreeHeadException if it does not sign this tree with
   *     this log's key
   */
  public void adoptHead(TreeHead stored) throws org.parley.keytrans.head.InvalidTreeHeadException {
    if (stored.treeSize() != size()) {
      throw new org.parley.keytrans.head.InvalidTreeHeadException(
          "head is for size " + stored.treeSize() + ", the log has " + size());
    }
    TreeHeads.verify(config, stored, logTree.root(size()));
    head = stored;
  }

  /**
   * A signed head for an earlier size of this log. An honest log never serves one once it has a
   * newer head; tests use it to make a server roll back.
   */
  public TreeHead signedHeadAt(long treeSize) {
    if (treeSize < 1 || treeSize > size()) {
      throw new IllegalArgumentException("the log never had " + treeSize + " entries");
    }
    return TreeHeads.sign(signingKey, config, treeSize, logTree.root(treeSize));
  }

  /** The head a response carries: {@code same} when the user already has this tree size. */
  public FullTreeHead fullTreeHead(OptionalLong last) {
    if (last.isPresent() && last.getAsLong() == size()) {
      return new FullTreeHead.Same();
    }
    return new FullTreeHead.Updated(currentHead(), Optional.empty());
  }

  private TreeHead currentHead() {
    if (head == null) {
      throw new IllegalStateException("the tree head is not signed; call signHead after replay");
    }
    return head;
  }

  /** The log tree root of the first {@code treeSize} entries. */
  public HashValue root(long treeSize) {
    return logTree.root(treeSize);
  }

  /** What a user who advertised {@code last} retained; refuses a size the log never had. */
  public RetainedView retainedView(OptionalLong last) throws LogRequestException {
    if (last.isEmpty()) {
      return null;
    }
    long size = last.getAsLong();
    if (size < 1 || size > size()) {
      throw new LogRequestException(
          LogRequestException.Reason.UNKNOWN_TREE_SIZE,
          "last tree size " + size + " is not one this log has had (it has " + size() + ")");
    }
    return ProvingWalk.retainedViewOf(this, size, logTree.fullSubtrees(size));
  }

  /** The search keys of {@code label} as the log knows them (computing absent versions' VRF). */
  public LabelKeys keys(Label label) {
    return new LabelKeys() {
      @Override
      public SearchKey searchKey(long version) {
        return searchKeyOf(vrfProof(label, version));
      }

      @Override
      public Optional<HashValue> commitment(long version) {
        return version(label, version).map(v -> HashValue.of(v.commitment().bytes()));
      }
    };
  }

  /** The VRF proof for a version of a label, stored or (for absent versions) computed. */
  public VrfProof vrfProof(Label label, long version) {
    Optional<LabelVersion> stored = version(label, version);
    if (stored.isPresent()) {
      return stored.get().vrfProof();
    }
    // Queries run concurrently (the server answers them under a shared read lock), and this
    // access-ordered cache changes on every read: guard it.
    VrfInput input = VrfInput.of(label, version);
    synchronized (absentVrf) {
      VrfProof cached = absentVrf.get(input);
      if (cached != null) {
        return cached;
      }
    }
    VrfProof proof = config.suite().vrf().prove(vrfKey, config.vrfPublicKey(), input.encode());
    synchronized (absentVrf) {
      absentVrf.put(input, proof);
    }
    return proof;
  }

  private SearchKey searchKeyOf(VrfProof proof) {
    try {
      return SearchKey.of(config.suite().vrfOutput(proof));
    } catch (VrfException e) {
      throw new IllegalStateException("our own VRF proof does not decode", e);
    }
  }

  /**
   * The draft's {@code AuditorUpdate} for entry {@code position}: the leaves it added, proved and
   * removed, proved against the previous entry's prefix tree (an honest log removes none).
   */
  public org.parley.keytrans.audit.AuditorUpdate auditorUpdate(long position) {
    PrefixTree previous =
        position == 0 ? PrefixTree.empty(config.suite()) : trees.get(Math.toIntExact(position - 1));
    return org.parley.keytrans.audit.AuditorUpdate.build(
        previous,
        timestamp(position),
        added.get(Math.toIntExact(position)),
        removedAt.get(Math.toIntExact(position)));
  }

  // ---- LogData ----------------------------------------------------------------------------

  @Override
  public long size() {
    return trees.size();
  }

  @Override
  public long timestamp(long position) {
    return timestamps.get(Math.toIntExact(position));
  }

  @Override
  public PrefixTree prefixTree(long position) {
    return trees.get(Math.toIntExact(position));
  }

  @Override
  public InclusionProof prove(ProofScope scope) {
    return logTree.prove(scope);
  }
}
