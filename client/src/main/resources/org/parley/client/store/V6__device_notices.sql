-- Issue 8, items 4 and 6. An alarm has a state: it stays 'open' until it is resolved, either
-- 'accepted' (the person accepted the changed key it is about, after comparing safety numbers) or
-- 'superseded' (the log no longer proves what raised it). A resolved alarm keeps its evidence and
-- no longer fails a check. device_id names the subject's device an alarm is about, if any.
ALTER TABLE kt_alarms ADD COLUMN device_id INTEGER;
ALTER TABLE kt_alarms ADD COLUMN status TEXT NOT NULL DEFAULT 'open'
  CHECK (status IN ('open', 'accepted', 'superseded'));
ALTER TABLE kt_alarms ADD COLUMN resolved_at INTEGER;
ALTER TABLE kt_alarms ADD COLUMN resolution TEXT;

-- Devices added to or removed from an account, as the log proved it to this device (its own
-- account's from owner monitoring, a contact's when it proves the contact's list), filed in the
-- conversation with the account's handle. Each change of a device and key is told once.
CREATE TABLE device_notice (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  peer         TEXT    NOT NULL,
  account_id   TEXT    NOT NULL,
  own_account  INTEGER NOT NULL CHECK (own_account IN (0, 1)),
  change       TEXT    NOT NULL CHECK (change IN ('added', 'removed')),
  device_id    INTEGER NOT NULL,
  identity_key BLOB    NOT NULL,
  device_name  TEXT,             -- as the server's directory gave it, not proven
  version_seen INTEGER NOT NULL, -- the version of the account's list that showed the change
  noticed_at   INTEGER NOT NULL,
  UNIQUE (account_id, device_id, change, identity_key)
);
CREATE INDEX device_notice_by_peer ON device_notice (peer, id);
