package org.parley.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.protocol.AccountId;
import org.parley.protocol.Handle;
import org.parley.server.account.Account;
import org.parley.server.device.Device;
import org.parley.server.kt.KtAuditorHead;
import org.parley.server.kt.KtEarlyProof;
import org.parley.server.kt.KtEntry;
import org.parley.server.kt.KtEpoch;
import org.parley.server.kt.KtLeaf;
import org.parley.server.kt.KtPending;
import org.parley.server.kt.KtPendingAccount;
import org.parley.server.kt.KtPositionException;
import org.parley.server.kt.KtStore;
import org.parley.server.kt.KtVersion;

/**
 * The key-transparency log in the {@code kt_*} tables. Rows are only ever appended, so a read
 * bounded by a position sees the same rows whenever it runs: that is what keeps a replay made of
 * several statements consistent on PostgreSQL's READ COMMITTED, without a snapshot.
 */
final class JdbcKtStore implements KtStore {
  /** Rows fetched per round trip while streaming (PostgreSQL; SQLite steps row by row anyway). */
  private static final int FETCH_SIZE = 1_000;

  private final Transactions transactions;
  private final Dialect dialect;
  private final FencedLease lease;

  /**
   * @param lease checked in every append, or null when only one server opens the store
   */
  JdbcKtStore(Transactions transactions, Dialect dialect, FencedLease lease) {
    this.transactions = transactions;
    this.dialect = dialect;
    this.lease = lease;
  }

  /**
   * Queues the account for the log inside the caller's transaction: every transaction that changes
   * a device list calls this, so no acknowledged change can be missing from the log after a crash.
   * A new row starts above every queued row (the scan goes roughly oldest first); an existing row's
   * seq goes up by one, re-read under its row lock on PostgreSQL, so two changes of one account
   * never leave the same seq and a publisher that read the older one cannot delete the newer. (Once
   * a row is published and deleted its seq may be handed out again; a publisher that read it that
   * long ago is stale, and its append fails on its position.)
   */
  static void markPending(Connection c, AccountId account) throws SQLException {
    // "WHERE true": SQLite's parser needs it between INSERT ... SELECT and ON CONFLICT
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO kt_pending (account_id, seq)"
                + " SELECT ?, coalesce(max(seq), 0) + 1 FROM kt_pending WHERE true"
                + " ON CONFLICT (account_id) DO UPDATE SET seq = kt_pending.seq + 1")) {
      s.setString(1, account.value());
      s.executeUpdate();
    }
  }

  @Override
  public void markPending(AccountId account) {
    transactions.write(
        c -> {
          markPending(c, account);
          return null;
        });
  }

  @Override
  public void append(List<KtEpoch> epochs) {
    if (epochs.isEmpty()) {
      throw new IllegalArgumentException("no epoch to append");
    }
    long first = epochs.get(0).entry().position();
    for (int i = 1; i < epochs.size(); i++) {
      if (epochs.get(i).entry().position() != first + i) {
        throw new IllegalArgumentException(
            "epoch "
                + i
                + " of an append is at "
                + epochs.get(i).entry().position()
                + ", not "
                + (first + i));
      }
    }
    List<KtLeaf> leaves = new ArrayList<>();
    List<KtVersion> versions = new ArrayList<>();
    List<KtPending> published = new ArrayList<>();
    for (KtEpoch epoch : epochs) {
      leaves.addAll(epoch.leaves());
      versions.addAll(epoch.versions());
      published.addAll(epoch.published());
    }
    transactions.write(
        c -> {
          if (lease != null) {
            lease.verify(c);
          }
          long next = size(c);
          if (first != next) {
            throw new KtPositionException("the log's next position is " + next + ", not " + first);
          }
          insertEntries(c, epochs);
          insertLeaves(c, epochs);
          insertVersions(c, epochs);
          deletePublished(c, published);
          deleteEarlyProofs(c, versions);
          return null;
        });
  }

  /** Rows per multi-row INSERT: few statements, each well within both databases' limits. */
  private static final int ROWS_PER_INSERT = 100;

  /**
   * {@code INSERT INTO table (columns) VALUES (?, ...), ...} for {@code rows} rows of {@code
   * columns}' count.
   */
  private static String multiRowInsert(String table, String columns, int rows) {
    int n = columns.split(",").length;
    String row = "(" + "?, ".repeat(n - 1) + "?)";
    StringBuilder sql =
        new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns).append(")");
    sql.append(" VALUES ").append(row);
    for (int i = 1; i < rows; i++) {
      sql.append(", ").append(row);
    }
    return sql.toString();
  }

  /** Binds one row's values from parameter {@code index}; returns the next free parameter. */
  @FunctionalInterface
  private interface RowBinder<T> {
    int bind(PreparedStatement s, int index, T row) throws SQLException;
  }

  /**
   * Inserts {@code rows} with multi-row INSERTs of {@link #ROWS_PER_INSERT} rows, the rest as a
   * batch of single-row ones: two statement texts per table, whatever the count (the SQLite writer
   * keeps every statement text it prepared).
   */
  private static <T> void insertRows(
      Connection c, String table, String columns, List<T> rows, RowBinder<T> binder)
      throws SQLException {
    int full = rows.size() / ROWS_PER_INSERT * ROWS_PER_INSERT;
    if (full > 0) {
      try (PreparedStatement s =
          c.prepareStatement(multiRowInsert(table, columns, ROWS_PER_INSERT))) {
        for (int from = 0; from < full; from += ROWS_PER_INSERT) {
          int index = 1;
          for (T row : rows.subList(from, from + ROWS_PER_INSERT)) {
            index = binder.bind(s, index, row);
          }
          s.executeUpdate();
        }
      }
    }
    if (full < rows.size()) {
      try (PreparedStatement s = c.prepareStatement(multiRowInsert(table, columns, 1))) {
        for (T row : rows.subList(full, rows.size())) {
          binder.bind(s, 1, row);
          s.addBatch();
        }
        s.executeBatch();
      }
    }
  }

  private void insertEntries(Connection c, List<KtEpoch> epochs) throws SQLException {
    try {
      insertRows(
          c,
          "kt_entries",
          "position, timestamp_ms, prefix_root, tree_head_signature",
          epochs,
          (s, i, epoch) -> {
            KtEntry entry = epoch.entry();
            s.setLong(i, entry.position());
            s.setLong(i + 1, entry.timestamp());
            s.setBytes(i + 2, entry.prefixRoot());
            s.setBytes(i + 3, entry.treeHeadSignature());
            return i + 4;
          });
    } catch (SQLException e) {
      // PostgreSQL: a concurrent append took the position after we read the size
      if (dialect.isUniqueViolation(e)) {
        throw new KtPositionException(
            "log position " + epochs.get(0).entry().position() + " was just taken");
      }
      throw e;
    }
  }

  /** One leaf of an epoch with its place in it. */
  private record PlacedLeaf(long position, int ordinal, KtLeaf leaf) {}

  private static void insertLeaves(Connection c, List<KtEpoch> epochs) throws SQLException {
    List<PlacedLeaf> rows = new ArrayList<>();
    for (KtEpoch epoch : epochs) {
      int ordinal = 0;
      for (KtLeaf leaf : epoch.leaves()) {
        rows.add(new PlacedLeaf(epoch.entry().position(), ordinal++, leaf));
      }
    }
    insertRows(
        c,
        "kt_leaves",
        "position, ordinal, vrf_output, commitment",
        rows,
        (s, i, row) -> {
          s.setLong(i, row.position());
          s.setInt(i + 1, row.ordinal());
          s.setBytes(i + 2, row.leaf().vrfOutput());
          s.setBytes(i + 3, row.leaf().commitment());
          return i + 4;
        });
  }

  /** One label version with its place in the entry that inserts it. */
  private record PlacedVersion(int ordinal, KtVersion version) {}

  private void insertVersions(Connection c, List<KtEpoch> epochs) throws SQLException {
    List<PlacedVersion> rows = new ArrayList<>();
    for (KtEpoch epoch : epochs) {
      int ordinal = 0;
      for (KtVersion v : epoch.versions()) {
        rows.add(new PlacedVersion(ordinal++, v));
      }
    }
    try {
      insertRows(
          c,
          "kt_versions",
          "label, version, position, ordinal, vrf_proof, opening, value",
          rows,
          (s, i, row) -> {
            KtVersion v = row.version();
            s.setBytes(i, v.label());
            s.setLong(i + 1, v.version());
            s.setLong(i + 2, v.position());
            s.setInt(i + 3, row.ordinal());
            s.setBytes(i + 4, v.vrfProof());
            s.setBytes(i + 5, v.opening());
            s.setBytes(i + 6, v.value());
            return i + 7;
          });
    } catch (SQLException e) {
      if (dialect.isUniqueViolation(e)) {
        throw new IllegalStateException("a label version of this epoch is already stored", e);
      }
      throw e;
    }
  }

  /** Compare-and-delete: a row whose seq moved on was changed again and stays queued. */
  private static void deletePublished(Connection c, List<KtPending> published) throws SQLException {
    if (published.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM kt_pending WHERE account_id = ? AND seq = ?")) {
      for (KtPending p : published) {
        s.setString(1, p.account().value());
        s.setLong(2, p.seq());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  /** A label's early proofs up to the version published are of no more use. */
  private static void deleteEarlyProofs(Connection c, List<KtVersion> versions)
      throws SQLException {
    if (versions.isEmpty()) {
      return;
    }
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM kt_early_proofs WHERE label = ? AND version <= ?")) {
      for (KtVersion v : versions) {
        s.setBytes(1, v.label());
        s.setLong(2, v.version());
        s.addBatch();
      }
      s.executeBatch();
    }
  }

  @Override
  public void saveEarlyProofs(List<KtEarlyProof> proofs) {
    if (proofs.isEmpty()) {
      return;
    }
    transactions.write(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO kt_early_proofs (label, version, account_id, sealed)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (label, version) DO UPDATE SET"
                      + " account_id = excluded.account_id, sealed = excluded.sealed")) {
            for (KtEarlyProof p : proofs) {
              s.setBytes(1, p.label());
              s.setLong(2, p.version());
              s.setString(3, p.account().value());
              s.setBytes(4, p.sealed());
              s.addBatch();
            }
            s.executeBatch();
          }
          return null;
        });
  }

  @Override
  public List<KtEarlyProof> earlyProofs(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT e.account_id, e.label, e.version, e.sealed FROM kt_early_proofs e"
                      + " JOIN (SELECT account_id FROM kt_pending ORDER BY seq, account_id"
                      + " LIMIT ?) p ON p.account_id = e.account_id")) {
            s.setInt(1, limit);
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet r = s.executeQuery()) {
              List<KtEarlyProof> proofs = new ArrayList<>();
              while (r.next()) {
                proofs.add(
                    new KtEarlyProof(
                        AccountId.of(r.getString(1)), r.getBytes(2), r.getLong(3), r.getBytes(4)));
              }
              return proofs;
            }
          }
        });
  }

  @Override
  public long size() {
    return transactions.read(JdbcKtStore::size);
  }

  private static long size(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement("SELECT coalesce(max(position) + 1, 0) FROM kt_entries");
        ResultSet r = s.executeQuery()) {
      r.next();
      return r.getLong(1);
    }
  }

  @Override
  public Optional<KtEntry> entry(long position) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT position, timestamp_ms, prefix_root, tree_head_signature"
                      + " FROM kt_entries WHERE position = ?")) {
            s.setLong(1, position);
            try (ResultSet r = s.executeQuery()) {
              return r.next() ? Optional.of(entry(r)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public void forEachEpoch(long from, long to, Consumer<KtEpoch> visitor) {
    transactions.read(
        c -> {
          // Three cursors ordered by position, merged here: an entry's columns are not repeated
          // per leaf or version, and only one epoch is in memory at a time.
          try (PreparedStatement entries =
                  c.prepareStatement(
                      "SELECT position, timestamp_ms, prefix_root, tree_head_signature"
                          + " FROM kt_entries WHERE position >= ? AND position < ?"
                          + " ORDER BY position");
              PreparedStatement leaves =
                  c.prepareStatement(
                      "SELECT position, vrf_output, commitment FROM kt_leaves"
                          + " WHERE position >= ? AND position < ? ORDER BY position, ordinal");
              PreparedStatement versions =
                  c.prepareStatement(
                      "SELECT position, label, version, vrf_proof, opening, value FROM kt_versions"
                          + " WHERE position >= ? AND position < ? ORDER BY position, ordinal")) {
            for (PreparedStatement s : List.of(entries, leaves, versions)) {
              s.setFetchSize(FETCH_SIZE);
              s.setLong(1, from);
              s.setLong(2, to);
            }
            try (ResultSet e = entries.executeQuery();
                ResultSet l = leaves.executeQuery();
                ResultSet v = versions.executeQuery()) {
              boolean leafRow = l.next();
              boolean versionRow = v.next();
              while (e.next()) {
                KtEntry entry = entry(e);
                long position = entry.position();
                List<KtLeaf> itsLeaves = new ArrayList<>();
                while (leafRow && l.getLong(1) == position) {
                  itsLeaves.add(new KtLeaf(l.getBytes(2), l.getBytes(3)));
                  leafRow = l.next();
                }
                List<KtVersion> itsVersions = new ArrayList<>();
                while (versionRow && v.getLong(1) == position) {
                  itsVersions.add(
                      new KtVersion(
                          v.getBytes(2),
                          v.getLong(3),
                          position,
                          v.getBytes(4),
                          v.getBytes(5),
                          v.getBytes(6)));
                  versionRow = v.next();
                }
                visitor.accept(new KtEpoch(entry, itsLeaves, itsVersions, List.of()));
              }
            }
          }
          return null;
        });
  }

  @Override
  public void forEachVersion(long to, VersionVisitor visitor) {
    transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT label, version, position FROM kt_versions WHERE position < ?"
                      + " ORDER BY label, version")) {
            s.setFetchSize(FETCH_SIZE);
            s.setLong(1, to);
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                visitor.accept(r.getBytes(1), r.getLong(2), r.getLong(3));
              }
            }
          }
          return null;
        });
  }

  @Override
  public Optional<KtVersion> version(byte[] label, long version) {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT position, vrf_proof, opening, value FROM kt_versions"
                      + " WHERE label = ? AND version = ?")) {
            s.setBytes(1, label);
            s.setLong(2, version);
            try (ResultSet r = s.executeQuery()) {
              if (!r.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new KtVersion(
                      label, version, r.getLong(1), r.getBytes(2), r.getBytes(3), r.getBytes(4)));
            }
          }
        });
  }

  @Override
  public List<KtPending> pending(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT account_id, seq FROM kt_pending ORDER BY seq, account_id LIMIT ?")) {
            s.setInt(1, limit);
            try (ResultSet r = s.executeQuery()) {
              List<KtPending> pending = new ArrayList<>();
              while (r.next()) {
                pending.add(new KtPending(AccountId.of(r.getString(1)), r.getLong(2)));
              }
              return pending;
            }
          }
        });
  }

  /**
   * One statement, so one snapshot on every backend: the store's reads see each statement's own
   * snapshot ({@link Transactions#read}), and two statements once let a registration commit between
   * the devices read and the accounts read; its account then came without devices, the epoch
   * published nothing for it and still took it off the queue (PendingAccountsSnapshotIT). A change
   * committed after this read bumps its account's seq, so the epoch's delete leaves it queued.
   */
  @Override
  public List<KtPendingAccount> pendingAccounts(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    int deviceColumns = JdbcDeviceStore.COLUMNS.split(", ").length;
    return transactions.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + prefixed("d.", JdbcDeviceStore.COLUMNS)
                      + ", p.account_id, p.seq, a.handle, a.created_at"
                      + " FROM (SELECT account_id, seq FROM kt_pending ORDER BY seq, account_id"
                      + " LIMIT ?) p"
                      + " LEFT JOIN accounts a ON a.id = p.account_id"
                      + " LEFT JOIN devices d ON d.account_id = p.account_id"
                      + " ORDER BY p.seq, p.account_id, d.device_id")) {
            s.setInt(1, limit);
            s.setFetchSize(FETCH_SIZE);
            try (ResultSet r = s.executeQuery()) {
              List<KtPendingAccount> out = new ArrayList<>();
              KtPending current = null;
              Optional<Account> account = Optional.empty();
              List<Device> devices = new ArrayList<>();
              while (r.next()) {
                AccountId id = AccountId.of(r.getString(deviceColumns + 1));
                if (current == null || !current.account().equals(id)) {
                  if (current != null) {
                    out.add(new KtPendingAccount(current, account, List.copyOf(devices)));
                  }
                  current = new KtPending(id, r.getLong(deviceColumns + 2));
                  String handle = r.getString(deviceColumns + 3);
                  account =
                      handle == null
                          ? Optional.empty()
                          : Optional.of(
                              new Account(id, Handle.of(handle), r.getLong(deviceColumns + 4)));
                  devices = new ArrayList<>();
                }
                if (r.getString(1) != null) { // the LEFT JOIN's row for an account with no device
                  devices.add(JdbcDeviceStore.device(r));
                }
              }
              if (current != null) {
                out.add(new KtPendingAccount(current, account, List.copyOf(devices)));
              }
              return out;
            }
          }
        });
  }

  private static String prefixed(String alias, String columns) {
    return alias + columns.replace(", ", ", " + alias);
  }

  @Override
  public boolean saveAuditorHead(
      byte[] auditorPublicKey, long treeSize, long timestamp, byte[] signature) {
    KtAuditorHead head = new KtAuditorHead(auditorPublicKey, treeSize, timestamp, signature);
    return transactions.write(
        c -> {
          // The WHERE of DO UPDATE keeps a newer head: both databases then report 0 rows.
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO kt_auditor_heads"
                      + " (auditor_public_key, tree_size, timestamp_ms, signature)"
                      + " VALUES (?, ?, ?, ?) ON CONFLICT (auditor_public_key) DO UPDATE SET"
                      + " tree_size = excluded.tree_size, timestamp_ms = excluded.timestamp_ms,"
                      + " signature = excluded.signature"
                      + " WHERE excluded.tree_size > kt_auditor_heads.tree_size"
                      + " OR (excluded.tree_size = kt_auditor_heads.tree_size"
                      + " AND excluded.timestamp_ms >= kt_auditor_heads.timestamp_ms)")) {
            s.setBytes(1, head.auditorPublicKey());
            s.setLong(2, head.treeSize());
            s.setLong(3, head.timestamp());
            s.setBytes(4, head.signature());
            return s.executeUpdate() == 1;
          }
        });
  }

  @Override
  public List<KtAuditorHead> auditorHeads() {
    return transactions.read(
        c -> {
          try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT auditor_public_key, tree_size, timestamp_ms, signature"
                          + " FROM kt_auditor_heads ORDER BY auditor_public_key");
              ResultSet r = s.executeQuery()) {
            List<KtAuditorHead> heads = new ArrayList<>();
            while (r.next()) {
              heads.add(
                  new KtAuditorHead(r.getBytes(1), r.getLong(2), r.getLong(3), r.getBytes(4)));
            }
            return heads;
          }
        });
  }

  private static KtEntry entry(ResultSet r) throws SQLException {
    return new KtEntry(r.getLong(1), r.getLong(2), r.getBytes(3), r.getBytes(4));
  }
}
