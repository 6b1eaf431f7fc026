-- The key-transparency log's durable state; the same tables as the embedded SQLite store (see
-- server/src/main/resources/db/migration/sqlite). The trees are rebuilt in memory from these rows
-- on start; rows are only ever appended.

-- One entry per published epoch; positions 0, 1, 2, ... without gaps.
CREATE TABLE kt_entries (
  position            bigint NOT NULL PRIMARY KEY CHECK (position >= 0),
  timestamp_ms        bigint NOT NULL,
  prefix_root         bytea  NOT NULL,
  tree_head_signature bytea  NOT NULL
);

-- The prefix-tree leaves each entry wrote, in the order they were applied (ordinal). The primary
-- key serves the replay as one index range scan.
CREATE TABLE kt_leaves (
  position   bigint  NOT NULL REFERENCES kt_entries (position),
  ordinal    integer NOT NULL,
  vrf_output bytea   NOT NULL,
  commitment bytea   NOT NULL,
  PRIMARY KEY (position, ordinal)
);

-- One row per label version, looked up by (label, version), the primary key. ordinal is its place
-- in the entry that inserted it: the replay hands an entry's versions back in that order.
CREATE TABLE kt_versions (
  label     bytea   NOT NULL,
  version   bigint  NOT NULL CHECK (version >= 0),
  position  bigint  NOT NULL REFERENCES kt_entries (position),
  ordinal   integer NOT NULL,
  vrf_proof bytea   NOT NULL,
  opening   bytea   NOT NULL,
  value     bytea   NOT NULL,
  PRIMARY KEY (label, version),
  UNIQUE (position, ordinal)
);

-- Accounts whose device list changed and waits to be published: one row per account, written in
-- the same transaction as the change. seq changes on every change (see JdbcKtStore.markPending),
-- so publishing deletes a row only if no change came after what it published. No foreign key to
-- accounts: deleting an account must be published too.
CREATE TABLE kt_pending (
  account_id text   NOT NULL PRIMARY KEY,
  seq        bigint NOT NULL
);
CREATE INDEX kt_pending_scan ON kt_pending (seq, account_id);

-- Accounts registered before the log existed are published in its first epochs.
INSERT INTO kt_pending (account_id, seq)
SELECT id, row_number() OVER (ORDER BY created_at, id) FROM accounts;

-- The latest tree head each auditor signed; tree_size never goes down.
CREATE TABLE kt_auditor_heads (
  auditor_public_key bytea  NOT NULL PRIMARY KEY,
  tree_size          bigint NOT NULL CHECK (tree_size > 0),
  timestamp_ms       bigint NOT NULL,
  signature          bytea  NOT NULL
);
