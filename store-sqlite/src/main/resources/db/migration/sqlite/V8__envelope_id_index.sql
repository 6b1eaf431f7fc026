-- Issue 9: envelope ids are random UUIDs the server makes, unique across all queues, so the index
-- that finds an acknowledged envelope is on the id alone: an acknowledgement's look-up and delete
-- name only the id (the same statements as on PostgreSQL, whose planner would otherwise take the
-- primary key's range over the device's queue). SQLite cannot drop a table's UNIQUE constraint,
-- so the table is rebuilt with the new one.
CREATE TABLE envelopes_new (
  account_id        TEXT    NOT NULL,
  device_id         INTEGER NOT NULL,
  seq               INTEGER NOT NULL,
  id                TEXT    NOT NULL UNIQUE,
  source_account_id TEXT    NOT NULL,
  source_handle     TEXT    NOT NULL,
  source_device_id  INTEGER NOT NULL,
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
