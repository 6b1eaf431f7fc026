-- Issue 9: the queue's foreign key to devices goes. PostgreSQL checked it with a query of its own
-- for every envelope inserted (a trigger locking the device row FOR KEY SHARE), about a tenth of
-- the database's CPU per message in the bench. It guarded nothing the locks do not: an enqueue
-- reads and locks its recipient's device rows (FOR NO KEY UPDATE) and stores envelopes only for the
-- devices it found, and a device removal locks every device row of the account FOR UPDATE, which
-- waits for any enqueue holding them, before it deletes the device's envelopes and then the device
-- (JdbcMessageQueue, JdbcDeviceStore). SQLite never enforced it (foreign_keys is off there).
ALTER TABLE envelopes DROP CONSTRAINT envelopes_account_id_device_id_fkey;
