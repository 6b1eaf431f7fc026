package org.parley.server.kt;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.protocol.AccountId;

/**
 * The durable part of the key-transparency log. The trees and proofs live in memory (the keytrans
 * module); this keeps what rebuilds them on start ({@link #forEachEpoch}, {@link #forEachVersion})
 * and what proofs need besides the trees ({@link #version}), the accounts waiting to be published,
 * and auditors' tree heads. Each method is one transaction.
 */
public interface KtStore {
  /**
   * Stores one epoch in one transaction: the entry, its leaves and versions, and removes each
   * published pending row whose seq is still the one published (a row changed since stays) and
   * every early proof of a published label up to the version published.
   *
   * @throws KtPositionException if the entry's position is not exactly {@link #size()}; nothing is
   *     stored
   * @throws IllegalStateException if a label version is already stored; nothing is stored
   */
  default void append(KtEpoch epoch) {
    append(List.of(epoch));
  }

  /**
   * Stores consecutive epochs in one transaction, as {@link #append(KtEpoch)} each of them, all or
   * none: the publisher's epoch of 10,000 accounts is about 100 entries, and a crash leaves either
   * all of them or none.
   *
   * @throws KtPositionException if the first entry's position is not exactly {@link #size()};
   *     nothing is stored
   * @throws IllegalArgumentException if the epochs' positions do not follow one another or there
   *     are none; nothing is stored
   * @throws IllegalStateException if a label version is already stored or appears twice; nothing is
   *     stored
   */
  void append(List<KtEpoch> epochs);

  /** The number of entries: the next position to append. */
  long size();

  Optional<KtEntry> entry(long position);

  /**
   * Calls {@code visitor} with each stored epoch at positions {@code from <= p < to} (those that
   * exist), in position order, its leaves and versions in the order they were appended: exactly
   * what {@link #append} took, except that {@link KtEpoch#published()} is empty. Streams: one epoch
   * at a time is in memory. The visitor runs inside a read transaction, so it should not call back
   * into the store.
   */
  void forEachEpoch(long from, long to, Consumer<KtEpoch> visitor);

  /**
   * Calls {@code visitor} with every label version inserted at a position below {@code to}, ordered
   * by label (unsigned bytes) then version: what an in-memory index from label to versions needs.
   * Streams like {@link #forEachEpoch}.
   */
  void forEachVersion(long to, VersionVisitor visitor);

  Optional<KtVersion> version(byte[] label, long version);

  /** Up to {@code limit} pending accounts, those queued first (mostly) first. */
  List<KtPending> pending(int limit);

  /**
   * What {@link #pending}{@code (limit)} returns, each with its account and devices, all read at
   * one instant (a change committed in between would otherwise pair a seq with devices older or
   * newer than it), and in one read, not 20,000 for an epoch of 10,000 accounts.
   */
  List<KtPendingAccount> pendingAccounts(int limit);

  /**
   * Queues the account for publishing, in a transaction of its own. Changes to an account's device
   * list (registration, link approval, device removal) queue it themselves, inside their own
   * transaction; this is for everything else that changes what the log says about an account.
   */
  void markPending(AccountId account);

  /**
   * Keeps proofs made when changes were recorded, in one transaction; one for a label version
   * already kept replaces it.
   */
  void saveEarlyProofs(List<KtEarlyProof> proofs);

  /**
   * The early proofs kept for the accounts {@link #pending}{@code (limit)} returns (read
   * separately: a proof is only a hint the publisher checks, so the two reads need not agree).
   */
  List<KtEarlyProof> earlyProofs(int limit);

  /**
   * Keeps an auditor's signed tree head if it is the auditor's first, or covers a larger tree than
   * the one kept (or the same size at a later or equal timestamp).
   *
   * @return whether it was kept; false if the head kept for this auditor is newer
   */
  boolean saveAuditorHead(byte[] auditorPublicKey, long treeSize, long timestamp, byte[] signature);

  /** The latest head of every auditor, ordered by auditor key. */
  List<KtAuditorHead> auditorHeads();

  /** Receives one entry of the version index. */
  @FunctionalInterface
  interface VersionVisitor {
    void accept(byte[] label, long version, long position);
  }
}
