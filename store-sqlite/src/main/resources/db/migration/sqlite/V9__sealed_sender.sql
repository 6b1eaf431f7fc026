-- Issue 10, sealed sender (docs/spec/sealed-sender.md). A sealed envelope names no sender, so the
-- envelope's source columns may be NULL (exactly for type 'sealed_sender'); SQLite cannot drop a
-- NOT NULL, so the table is rebuilt as V8 left it otherwise.
CREATE TABLE envelopes_new (
  account_id        TEXT    NOT NULL,
  device_id         INTEGER NOT NULL,
  seq               INTEGER NOT NULL,
  id                TEXT    NOT NULL UNIQUE,
  source_account_id TEXT,
  source_handle     TEXT,
  source_device_id  INTEGER,
  type              TEXT    NOT NULL,
  sent_at           INTEGER NOT NULL,
  server_timestamp  INTEGER NOT NULL,
  content           BLOB    NOT NULL,
  PRIMARY KEY (account_id, device_id, seq),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
INSERT INTO envelopes_new
  SELECT account_id, device_id, seq, id, source_account_id, source_handle, source_device_id, type,
         sent_at, server_timestamp, content
  FROM envelopes;
DROP TABLE envelopes;
ALTER TABLE envelopes_new RENAME TO envelopes;

-- The SHA-256 hash of the delivery credential each device hands its contacts; a sealed send to the
-- device must carry the credential. Only the hash: a copy of the database sends nothing sealed.
-- Deleted with its device, so a later device in the same slot starts without one.
CREATE TABLE delivery_credentials (
  account_id      TEXT    NOT NULL,
  device_id       INTEGER NOT NULL,
  credential_hash BLOB    NOT NULL,
  PRIMARY KEY (account_id, device_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
