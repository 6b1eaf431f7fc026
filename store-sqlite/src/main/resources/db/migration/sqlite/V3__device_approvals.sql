-- Each device's key-transparency approval (docs/spec/linking.md): the device of the account that
-- approved its identity key (device 1 approves itself at registration) and that device's
-- signature over the device-approval statement. Published with the key, so the account's devices
-- can check it. NULL only for devices stored before this migration.
ALTER TABLE devices ADD COLUMN approver_device_id INTEGER;
ALTER TABLE devices ADD COLUMN approval_signature BLOB;
