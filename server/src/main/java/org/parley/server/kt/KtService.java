package org.parley.server.kt;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.parley.keytrans.commit.Label;
import org.parley.keytrans.commit.UpdateValue;
import org.parley.keytrans.head.Configuration;
import org.parley.keytrans.head.ModeParameters;
import org.parley.keytrans.head.TreeHead;
import org.parley.keytrans.head.TreeHeads;
import org.parley.keytrans.operator.LabelVersion;
import org.parley.keytrans.operator.LogResponder;
import org.parley.keytrans.operator.PreparedVersion;
import org.parley.keytrans.operator.ProvenLabelVersion;
import org.parley.keytrans.operator.TransparencyLog;
import org.parley.keytrans.suite.CipherSuite;
import org.parley.keytrans.suite.SignatureSecretKey;
import org.parley.keytrans.vrf.VrfSecretKey;
import org.parley.protocol.AccountId;
import org.parley.protocol.kt.DeviceListValue;
import org.parley.protocol.kt.HandleValue;
import org.parley.protocol.kt.KtLabels;
import org.parley.server.account.Account;
import org.parley.server.device.Device;
import org.parley.server.storage.KeyFiles;
import org.parley.server.storage.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key-transparency log: the in-memory trees ({@link TransparencyLog}) rebuilt from
 * storage on start, the epoch publisher that turns device-list changes into log entries, and the
 * answers to the draft's user operations.
 *
 * <p>An epoch is computed, stored in one transaction, and only then made visible, so a response
 * never shows an entry that a crash could lose. Queries run under a read lock; the one publisher
 * thread takes the write lock only to make a stored entry visible.
 *
 * <p>Servers sharing one database publish one log: only the holder of the store's {@link
 * PublisherLease} publishes; the others follow, appending to their in-memory log what the holder
 * stored, every epoch and whenever a request names a tree size they have not reached yet. A server
 * that takes the lease first follows everything its predecessor stored; an append the store refuses
 * (another server's entry at that position, a lost lease) is followed the same way, so no server
 * ever signs or serves a head beside another's for the same size.
 */
public final class KtService {
  private static final Logger LOG = LoggerFactory.getLogger(KtService.class);

  /**
   * The most accounts one epoch publishes: an epoch of 10,000 changes (issue 9's target) is one
   * epoch of 100 entries, and the epoch's plan (a value and a proof per version) stays a few MB.
   */
  static final int PENDING_PER_EPOCH = 10_000;

  /** Each account adds at most two label versions (its devices, and its handle once). */
  static final int ACCOUNTS_PER_ENTRY = 100;

  private final Store store;
  private final Clock clock;
  private final KtSettings settings;
  private final TransparencyLog log;
  private final LogResponder responder;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final SecureRandom random = new SecureRandom();
  private final OperatorHook hook;
  private final PublisherLease lease;
  private final KtProver prover;
  private boolean publishing; // guarded by this
  private final java.util.concurrent.atomic.AtomicLong provenAtPublish =
      new java.util.concurrent.atomic.AtomicLong();

  /** An epoch slower than this is logged with its figures. */
  private static final long SLOW_EPOCH_NANOS = 1_000_000_000L;

  private volatile EpochFigures lastEpoch; // the last epoch this server published, or null

  private KtService(
      Store store, Clock clock, KtSettings settings, TransparencyLog log, OperatorHook hook) {
    this.store = store;
    this.lease = store.publisherLease();
    this.clock = clock;
    this.settings = settings;
    this.log = log;
    this.responder = new LogResponder(log);
    this.hook = hook;
    this.prover = new KtProver(log, store.kt());
  }

  /** The log's keys: {@code <dataDir>/kt/signing.key} (tree heads), {@code vrf.key} (labels). */
  public static final KeyFiles.Kind KEYS =
      new KeyFiles.Kind(
          "kt",
          "key-transparency",
          "signing.key",
          "vrf.key",
          "a new key would invalidate the published key-transparency log");

  /**
   * Loads (or on first start creates) the keys in the data directory and rebuilds the log; every
   * entry it publishes passes through {@code hook} ({@link OperatorHook#NONE} but in tests).
   */
  public static KtService open(
      java.nio.file.Path dataDir,
      Store store,
      Clock clock,
      KtSettings settings,
      OperatorHook hook) {
    CipherSuite suite = CipherSuite.defaultSuite();
    SecureRandom random = new SecureRandom();
    KeyFiles.Keys keys =
        KeyFiles.loadOrCreate(
            dataDir,
            KEYS,
            suite.signatureScheme().generateSecretKey(random).bytes().length,
            () -> suite.signatureScheme().generateSecretKey(random).bytes(),
            suite.vrf().secretKeyLength(),
            () -> suite.vrf().generateSecretKey(random).bytes());
    long stored = store.kt().size();
    if (keys.created() && stored > 0) {
      throw new IllegalStateException(
          "the key-transparency keys in "
              + dataDir.resolve("kt")
              + " were just created but the log already has "
              + stored
              + " entries: restore the "
              + "original key files, or the log's history can no longer be signed");
    }
    SignatureSecretKey signing = new SignatureSecretKey(keys.first());
    VrfSecretKey vrf = new VrfSecretKey(keys.second());
    Configuration config =
        new Configuration(
            suite,
            suite.signatureScheme().publicKey(signing),
            suite.vrf().publicKey(vrf),
            new ModeParameters.ContactMonitoring(),
            settings.maxAhead().toMillis(),
            settings.maxBehind().toMillis(),
            settings.monitoringWindow().toMillis(),
            settings
                .maximumLifetime()
                .map(d -> OptionalLong.of(d.toMillis()))
                .orElse(OptionalLong.empty()));
    TransparencyLog log = new TransparencyLog(config, signing, vrf);
    KtReplay.replay(store.kt(), log);
    return new KtService(store, clock, settings, log, hook);
  }

  /**
   * The hash that names this log out of band (docs/spec/keytrans.md, "Naming the log"): SHA-256 of
   * the Configuration's encoding, base64url without padding. Operators publish it; clients given it
   * in the server address ({@code #kt=}) trust no other log.
   */
  public String configurationHash() {
    try {
      return java.util.Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(
              java.security.MessageDigest.getInstance("SHA-256").digest(config().encode()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  public Configuration config() {
    return log.config();
  }

  public KtSettings settings() {
    return settings;
  }

  /** The number of published entries. */
  public long size() {
    lock.readLock().lock();
    try {
      return log.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The latest signed head, if any entry exists. */
  public Optional<TreeHead> head() {
    lock.readLock().lock();
    try {
      return log.head();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Runs a query against the current log under the read lock. A query naming a tree size this
   * server has not reached (a client that was answered by the publisher an epoch ago) is run again
   * after following the store, rather than answered as an unknown size, which a client would take
   * for a rollback.
   */
  public <T> T query(Query<T> query) throws org.parley.keytrans.operator.LogRequestException {
    try {
      return queryOnce(query);
    } catch (org.parley.keytrans.operator.LogRequestException e) {
      if (e.reason() == org.parley.keytrans.operator.LogRequestException.Reason.UNKNOWN_TREE_SIZE
          && follow() > 0) {
        return queryOnce(query);
      }
      throw e;
    }
  }

  private <T> T queryOnce(Query<T> query) throws org.parley.keytrans.operator.LogRequestException {
    lock.readLock().lock();
    try {
      return query.run(responder, log);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Appends what the store holds beyond the in-memory log (entries another server published);
   * returns how many. Nothing to do for a store only this server opens.
   */
  public synchronized long follow() {
    if (lease == PublisherLease.SOLE || store.kt().size() <= log.size()) {
      return 0;
    }
    lock.writeLock().lock();
    try {
      return KtReplay.follow(store.kt(), log);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Whether this server published the log at its last epoch (always, for a sole server). */
  public synchronized boolean publishing() {
    return lease == PublisherLease.SOLE || publishing;
  }

  /** A read of the log. */
  @FunctionalInterface
  public interface Query<T> {
    T run(LogResponder responder, TransparencyLog log)
        throws org.parley.keytrans.operator.LogRequestException;
  }

  /**
   * Publishes the pending accounts if any wait, or an empty entry when the heartbeat is due;
   * returns how many entries were appended. Pending accounts go into entries of at most {@link
   * #ACCOUNTS_PER_ENTRY}, so that each entry's auditor update stays within the 255 lookups a {@code
   * PrefixProof} can answer. Called by one scheduler thread only. A server without the publisher
   * lease only follows.
   */
  public synchronized int publish() {
    if (!lease.hold()) {
      if (publishing) {
        LOG.warn(
            "lost the key-transparency publisher lease; following the log another server "
                + "publishes");
        publishing = false;
      }
      follow();
      return 0;
    }
    if (!publishing && lease != PublisherLease.SOLE) {
      LOG.info("holds the key-transparency publisher lease; publishing the log");
    }
    publishing = true;
    follow(); // what the previous holder stored, before anything of ours
    try {
      return publishHeld();
    } catch (KtPositionException | LeaseLostException e) {
      if (lease == PublisherLease.SOLE) {
        throw e; // nobody else writes this store: our memory and the store disagree, a bug
      }
      LOG.warn(
          "the store refused a key-transparency entry ({}); following it instead", e.getMessage());
      follow();
      return 0;
    }
  }

  /**
   * Where the publisher's time went in one epoch, in nanoseconds of its thread's wall clock: the
   * reads of the pending accounts and their early proofs, the plan (each account's new versions,
   * early proofs unsealed), waiting for the proofs no early one covered and making the commitments,
   * staging the entries (prefix tree, log root, head signature), storing them and making them
   * visible. For operators and bench/kt-store.sh; never read by the log itself.
   */
  public record EpochFigures(
      int accounts,
      int versions,
      int entries,
      long readNanos,
      long planNanos,
      long prepareNanos,
      long stageNanos,
      long storeNanos,
      long commitNanos) {
    public long totalNanos() {
      return readNanos + planNanos + prepareNanos + stageNanos + storeNanos + commitNanos;
    }
  }

  /** The figures of the last epoch this server published, if it published one since it started. */
  public Optional<EpochFigures> lastEpoch() {
    return Optional.ofNullable(lastEpoch);
  }

  private int publishHeld() {
    long t0 = System.nanoTime();
    List<KtPendingAccount> taken = store.kt().pendingAccounts(PENDING_PER_EPOCH);
    List<KtPending> pending = taken.stream().map(KtPendingAccount::pending).toList();
    long now = clock.millis();
    long size = log.size();
    long last = size == 0 ? Long.MIN_VALUE : log.timestamp(size - 1);
    OperatorHook.EntryExtras extras = hook.nextEntry(log);
    if (pending.isEmpty()
        && size > 0
        && now - last < settings.heartbeat().toMillis()
        && extras.isEmpty()) {
      return 0;
    }
    // Each version the taken accounts need has its proof from when the change was recorded
    // (checked by its seal) or, failing that, gets it on the pool while the rest is planned; the
    // entries below then only wait for those, commit and stage.
    Map<VersionKey, byte[]> early = new HashMap<>();
    for (KtEarlyProof p : store.kt().earlyProofs(PENDING_PER_EPOCH)) {
      early.put(new VersionKey(new Label(p.label()), p.version()), p.sealed());
    }
    long t1 = System.nanoTime();
    Set<Label> claimed = new HashSet<>();
    List<List<PlannedVersion>> plans = new ArrayList<>(pending.size());
    for (KtPendingAccount p : taken) {
      plans.add(changes(p, claimed, early));
    }
    long t2 = System.nanoTime();
    long prepareNanos = 0;
    long stageNanos = 0;
    long storeNanos = 0;
    long commitNanos = 0;
    int versionCount = 0;
    // The epoch's entries are staged one after another, stored in one transaction (all or none
    // survives a crash), and only then made visible, together.
    TransparencyLog.Staging staging = log.staging();
    List<KtEpoch> rows = new ArrayList<>();
    int from = 0;
    do {
      int to = Math.min(pending.size(), from + ACCOUNTS_PER_ENTRY);
      List<KtPending> batch = pending.subList(from, to);
      long a = System.nanoTime();
      List<PreparedVersion> versions = new ArrayList<>();
      for (List<PlannedVersion> plan : plans.subList(from, to)) {
        for (PlannedVersion v : plan) {
          versions.add(log.prepare(v.proof().join(), v.value(), random));
        }
      }
      versionCount += versions.size();
      long b = System.nanoTime();
      TransparencyLog.StagedEpoch staged =
          from > 0
              ? staging.stage(Math.max(now, last), versions, true)
              : staging.stage(
                  Math.max(now, last), versions, true, extras.strayLeaves(), extras.removals());
      rows.add(KtReplay.epochOf(staged, batch));
      prepareNanos += b - a;
      stageNanos += System.nanoTime() - b;
      from += ACCOUNTS_PER_ENTRY;
    } while (from < pending.size());
    long c = System.nanoTime();
    store.kt().append(rows);
    long d = System.nanoTime();
    List<TransparencyLog.StagedEpoch> staged = staging.epochs();
    lock.writeLock().lock();
    try {
      staged.forEach(log::commit);
    } finally {
      lock.writeLock().unlock();
    }
    staged.forEach(hook::appended);
    storeNanos = d - c;
    commitNanos = System.nanoTime() - d;
    int entries = staged.size();
    lastEpoch =
        new EpochFigures(
            pending.size(),
            versionCount,
            entries,
            t1 - t0,
            t2 - t1,
            prepareNanos,
            stageNanos,
            storeNanos,
            commitNanos);
    if (lastEpoch.totalNanos() > SLOW_EPOCH_NANOS) { // where the time went, for the operator
      LOG.warn(
          "a key-transparency epoch took {} ms: {}", lastEpoch.totalNanos() / 1_000_000, lastEpoch);
    }
    return entries;
  }

  /** A label version an epoch will add, its proof taken back or being made on the pool. */
  private record PlannedVersion(UpdateValue value, KtProver.Pending proof) {}

  private record VersionKey(Label label, long version) {}

  private PlannedVersion plan(
      Label label, long version, UpdateValue value, Map<VersionKey, byte[]> early) {
    byte[] sealed = early.get(new VersionKey(label, version));
    Optional<ProvenLabelVersion> proven =
        sealed == null ? Optional.empty() : log.unseal(label, version, sealed);
    if (proven.isPresent()) {
      return new PlannedVersion(value, KtProver.ready(proven.get()));
    }
    provenAtPublish.incrementAndGet();
    return new PlannedVersion(value, prover.prove(label, version));
  }

  /**
   * How many label versions this server's publisher had to prove itself since it started, because
   * no early proof covered them or one did not open: a figure for operators and tests.
   */
  public long provenAtPublish() {
    return provenAtPublish.get();
  }

  /**
   * Called once a change that queued an account for the log has committed (a registration, an
   * accepted link, a removed device, a republish): proves in the background, off the caller's
   * thread, the versions the next epoch will most likely add for it, and keeps them sealed in the
   * store for whichever server publishes. A guess that turns out wrong (two changes folded into one
   * epoch with an intermediate version, a log that moved on, a lost proof) costs only a proof made
   * at publish time: the publisher never relies on one.
   */
  public void changed(AccountId account) {
    prover.early(() -> expected(account));
  }

  private List<KtProver.Wanted> expected(AccountId id) {
    Optional<Account> account = store.accounts().byId(id);
    if (account.isEmpty()) {
      return List.of();
    }
    Label accountLabel = new Label(KtLabels.account(id));
    Label handleLabel = new Label(KtLabels.handle(account.get().handle()));
    List<KtProver.Wanted> wanted = new ArrayList<>(2);
    lock.readLock().lock();
    try {
      wanted.add(new KtProver.Wanted(id, accountLabel, log.greatestVersion(accountLabel) + 1));
      if (log.greatestVersion(handleLabel) < 0) {
        wanted.add(new KtProver.Wanted(id, handleLabel, 0));
      }
    } finally {
      lock.readLock().unlock();
    }
    return wanted;
  }

  /** The most auditor updates one audit answer carries. */
  public static final int AUDIT_PAGE = 500;

  /**
   * The audit stream (docs/spec/keytrans.md, "Audit stream"): the latest signed head, then the
   * draft's {@code AuditorUpdate} of each entry from {@code start}, at most {@code limit}: {@code
   * TreeHead | u64 start | u16 count | count * (u32 length, AuditorUpdate)}.
   */
  public byte[] audit(long start, int limit)
      throws org.parley.keytrans.operator.LogRequestException {
    lock.readLock().lock();
    try {
      long size = log.size();
      if (size == 0 || start < 0 || start > size) {
        throw new org.parley.keytrans.operator.LogRequestException(
            org.parley.keytrans.operator.LogRequestException.Reason.INVALID,
            "start must be within the log's " + size + " entries");
      }
      int count = (int) Math.min(Math.min(limit, AUDIT_PAGE), size - start);
      var out = new org.parley.keytrans.tls.TlsWriter();
      log.head().orElseThrow().writeTo(out);
      out.u64(start).u16(count);
      for (long p = start; p < start + count; p++) {
        byte[] update = log.auditorUpdate(p).encode();
        out.u32(update.length).fixed(update);
      }
      return out.toByteArray();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Keeps an independent auditor's signed head if it signs this log's root at its size with the
   * entry's timestamp; returns false for a head older than the one kept.
   *
   * @throws IllegalArgumentException if it does not verify
   */
  public boolean acceptAuditorHead(
      byte[] auditorKey, org.parley.keytrans.head.AuditorTreeHead head) {
    lock.readLock().lock();
    try {
      if (head.treeSize() > log.size()) {
        throw new IllegalArgumentException(
            "the auditor head covers " + head.treeSize() + " entries; the log has " + log.size());
      }
      if (head.timestamp() != log.timestamp(head.treeSize() - 1)) {
        throw new IllegalArgumentException("the auditor head's timestamp is not its last entry's");
      }
      var key = new org.parley.keytrans.suite.SignaturePublicKey(auditorKey);
      org.parley.keytrans.head.AuditorTreeHeads.verifyIndependent(
          key, log.config(), head, log.root(head.treeSize()));
    } catch (org.parley.keytrans.head.InvalidTreeHeadException e) {
      throw new IllegalArgumentException(
          "the auditor head does not sign this log's root: " + e.getMessage());
    } finally {
      lock.readLock().unlock();
    }
    return store
        .kt()
        .saveAuditorHead(auditorKey, head.treeSize(), head.timestamp(), head.signature());
  }

  /**
   * The proof a client needs to compute the log root at {@code auditorSize} from the full subtrees
   * it retained for {@code last}: a log-tree proof with no leaves, consistency base {@code last}
   * and auditor size {@code auditorSize} (docs/spec/keytrans.md, "Requiring an auditor").
   */
  public byte[] auditorRootProof(long auditorSize, long last)
      throws org.parley.keytrans.operator.LogRequestException {
    lock.readLock().lock();
    try {
      if (last < 1 || last > log.size()) {
        throw new org.parley.keytrans.operator.LogRequestException(
            org.parley.keytrans.operator.LogRequestException.Reason.UNKNOWN_TREE_SIZE,
            "last tree size " + last + " is not one this log has had");
      }
      if (auditorSize < 1 || auditorSize > last) {
        throw new org.parley.keytrans.operator.LogRequestException(
            org.parley.keytrans.operator.LogRequestException.Reason.INVALID,
            "the auditor's size must be in 1.." + last);
      }
      return log.prove(new org.parley.keytrans.log.ProofScope(last, new long[0], last, auditorSize))
          .encode();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The latest head of every auditor that published one. */
  public List<KtAuditorHead> auditorHeads() {
    return store.kt().auditorHeads();
  }

  /** Queues an account to be published again at the next epoch. */
  public void republish(AccountId account) {
    store.kt().markPending(account);
    changed(account);
  }

  /**
   * The new label versions an account's current state needs (none if the log already says it).
   * {@code claimed} holds the handle labels earlier accounts of the same epoch publish: a handle
   * freed and taken again before one epoch goes to the first account in pending order, as when each
   * account was published after the one before.
   */
  private List<PlannedVersion> changes(
      KtPendingAccount pending, Set<Label> claimed, Map<VersionKey, byte[]> early) {
    AccountId accountId = pending.pending().account();
    Optional<Account> account = pending.account();
    if (account.isEmpty()) {
      return List.of();
    }
    List<DeviceListValue.Entry> entries = new ArrayList<>();
    for (Device device : pending.devices()) {
      device.ktEntry().ifPresent(entries::add);
    }
    if (entries.isEmpty()) {
      return List.of(); // no device with an approval: nothing the log could state
    }
    List<PlannedVersion> out = new ArrayList<>();
    Label accountLabel = new Label(KtLabels.account(accountId));
    DeviceListValue next = hook.published(accountId, new DeviceListValue(entries));
    long greatest = log.greatestVersion(accountLabel);
    Optional<LabelVersion> current = log.version(accountLabel, greatest);
    byte[] value = next.encode();
    if (current.isEmpty() || !Arrays.equals(current.get().value().value(), value)) {
      Optional<DeviceListValue> between = current.flatMap(c -> intermediate(c, next));
      if (between.isPresent()) {
        out.add(plan(accountLabel, ++greatest, UpdateValue.of(between.get().encode()), early));
      }
      out.add(plan(accountLabel, greatest + 1, UpdateValue.of(value), early));
    }
    Label handleLabel = new Label(KtLabels.handle(account.get().handle()));
    if (log.greatestVersion(handleLabel) < 0 && claimed.add(handleLabel)) {
      out.add(plan(handleLabel, 0, UpdateValue.of(new HandleValue(accountId).encode()), early));
    }
    return out;
  }

  /**
   * The version to publish before {@code next} when several changes were folded into one epoch and
   * a device that approved a new one was removed in the same epoch: the previous list plus the new
   * devices, so that owners see each approval while its approver is still listed
   * (docs/spec/keytrans-values.md, "What the publisher must do"). Empty when not needed.
   */
  private static Optional<DeviceListValue> intermediate(
      LabelVersion current, DeviceListValue next) {
    DeviceListValue previous;
    try {
      previous = DeviceListValue.decode(current.value().value());
    } catch (org.parley.protocol.kt.MalformedValueException e) {
      return Optional.empty();
    }
    boolean hidden =
        next.entries().stream()
            .anyMatch(
                e ->
                    !previous.entries().contains(e)
                        && next.bySerial(e.approver()).isEmpty()
                        && previous.bySerial(e.approver()).isPresent());
    if (!hidden) {
      return Optional.empty();
    }
    // by slot: a new device in a slot freed in the same epoch takes the slot (a known limit, see
    // keytrans-values.md: if the one it displaces was the hidden approver, owners see a false
    // alarm)
    java.util.Map<Integer, DeviceListValue.Entry> merged = new java.util.TreeMap<>();
    previous.entries().forEach(e -> merged.put(e.deviceId().value(), e));
    next.entries().forEach(e -> merged.put(e.deviceId().value(), e));
    return Optional.of(new DeviceListValue(List.copyOf(merged.values())));
  }

  /** Verifies the stored head signature once more; used at start to catch swapped key files. */
  static void checkHead(TransparencyLog log, TreeHead head) {
    try {
      TreeHeads.verify(log.config(), head, log.root(head.treeSize()));
    } catch (org.parley.keytrans.head.InvalidTreeHeadException e) {
      throw new IllegalStateException(
          "the stored log's tree head does not verify with the keys in "
              + "the data directory: restore the original kt/ key files",
          e);
    }
  }
}
