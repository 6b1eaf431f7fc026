-- Issue 8 item 7: device ids are slots a removed device frees; what is never reused is the link
-- serial, the account's count of devices ever added (device 1 is serial 1, each accepted link
-- takes the next). The key-transparency device list names each device's serial and its
-- approver's serial (docs/spec/keytrans-values.md). Until now ids were never reused, so every
-- existing device's serial is its id, its approver's serial its approver's id, and the next
-- serial of an account the next id it would have handed out.
ALTER TABLE devices ADD COLUMN link_serial INTEGER;
UPDATE devices SET link_serial = device_id;
ALTER TABLE devices ADD COLUMN approver_serial INTEGER;
UPDATE devices SET approver_serial = approver_device_id;
ALTER TABLE accounts RENAME COLUMN next_device_id TO next_link_serial;
