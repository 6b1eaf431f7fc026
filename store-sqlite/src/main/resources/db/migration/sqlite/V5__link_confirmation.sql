-- Issue 8 item 5: an approval no longer adds the device. The approving device's signatures wait
-- on the link, with who approved it (its id and identity key, shown to the new device); the new
-- device is added only when it accepts the account that approved it (state 'linked'). Links
-- approved before this migration were added on approval: they are 'linked'.
ALTER TABLE links ADD COLUMN approver_device_id INTEGER;
ALTER TABLE links ADD COLUMN approver_key BLOB;
ALTER TABLE links ADD COLUMN link_signature BLOB;
ALTER TABLE links ADD COLUMN kt_approval BLOB;
UPDATE links SET state = 'linked' WHERE state = 'approved';
