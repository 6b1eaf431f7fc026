-- Key transparency (docs/spec/keytrans.md). The log's configuration is pinned on first use; the
-- trusted head is the last one this device verified (TrustedHead encoding); each label this
-- device looked up or owns keeps its monitoring state; alarms keep their evidence.
CREATE TABLE kt_log (
  id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  configuration BLOB    NOT NULL,
  trusted_head  BLOB,
  -- an auditor whose fresh signed head every verification requires (optional)
  auditor_key   BLOB,
  auditor_max_lag INTEGER
);

CREATE TABLE kt_labels (
  label TEXT NOT NULL PRIMARY KEY, -- hex of the label bytes
  role  TEXT NOT NULL,             -- 'contact' or 'owner'
  state BLOB NOT NULL
);

CREATE TABLE kt_alarms (
  id        INTEGER NOT NULL PRIMARY KEY,
  raised_at INTEGER NOT NULL,
  kind      TEXT    NOT NULL,
  subject   TEXT    NOT NULL,
  message   TEXT    NOT NULL,
  evidence  BLOB
);
