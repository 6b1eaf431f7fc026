-- Issue 9: envelope ids are random UUIDs the server makes, unique across all queues, so the index
-- that finds an acknowledged envelope is on the id alone. An acknowledgement's look-up and delete
-- name only the id, and this index is the only one that can serve them: with the former unique
-- (account_id, device_id, id) index beside the primary key, the planner (on a table autovacuum had
-- not yet analysed) took the primary key's (account_id, device_id) range instead, scanning the
-- device's whole queue including its deleted rows, and each acknowledgement grew slower with every
-- envelope acknowledged before it.
CREATE UNIQUE INDEX envelopes_id ON envelopes (id);
ALTER TABLE envelopes DROP CONSTRAINT envelopes_account_id_device_id_id_key;
