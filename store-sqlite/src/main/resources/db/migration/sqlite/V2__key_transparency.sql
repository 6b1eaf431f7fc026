-- The key-transparency log's durable state (see org.parley.server.kt.KtStore). The trees are
-- rebuilt in memory from these rows on start; rows are only ever appended.

-- One entry per published epoch; positions 0, 1, 2, ... without gaps.
CREATE TABLE kt_entries (
  position            INTEGER NOT NULL PRIMARY KEY CHECK (position >= 0),
  timestamp_ms        INTEGER NOT NULL,
  prefix_root         BLOB    NOT NULL,
  tree_head_signature BLOB    NOT NULL
);

-- The prefix-tree leaves each entry wrote, in the order they were applied (ordinal). The primary
-- key serves the replay as one range scan per entry.
CREATE TABLE kt_leaves (
  position   INTEGER NOT NULL REFERENCES kt_entries (position),
  ordinal    INTEGER NOT NULL,
  vrf_output BLOB    NOT NULL,
  commitment BLOB    NOT NULL,
  PRIMARY KEY (position, ordinal)
) WITHOUT ROWID;

-- One row per label version, looked up by (label, version), the primary key. ordinal is its place
-- in the entry that inserted it: the replay hands an entry's versions back in that order.
CREATE TABLE kt_versions (
  label     BLOB    NOT NULL,
  version   INTEGER NOT NULL CHECK (version >= 0),
  position  INTEGER NOT NULL REFERENCES kt_entries (position),
  ordinal   INTEGER NOT NULL,
  vrf_proof BLOB    NOT NULL,
  opening   BLOB    NOT NULL,
  value     BLOB    NOT NULL,
  PRIMARY KEY (label, version),
  UNIQUE (position, ordinal)
);

-- Accounts whose device list changed and waits to be published: one row per account, written in
-- the same transaction as the change. seq changes on every change (see JdbcKtStore.markPending),
-- so publishing deletes a row only if no change came after what it published. No foreign key to
-- accounts: deleting an account must be published too.
CREATE TABLE kt_pending (
  account_id TEXT    NOT NULL PRIMARY KEY,
  seq        INTEGER NOT NULL
);
CREATE INDEX kt_pending_scan ON kt_pending (seq, account_id);

-- Accounts registered before the log existed are published in its first epochs.
INSERT INTO kt_pending (account_id, seq)
SELECT id, row_number() OVER (ORDER BY created_at, id) FROM accounts;

-- The latest tree head each auditor signed; tree_size never goes down.
CREATE TABLE kt_auditor_heads (
  auditor_public_key BLOB    NOT NULL PRIMARY KEY,
  tree_size          INTEGER NOT NULL CHECK (tree_size > 0),
  timestamp_ms       INTEGER NOT NULL,
  signature          BLOB    NOT NULL
);
