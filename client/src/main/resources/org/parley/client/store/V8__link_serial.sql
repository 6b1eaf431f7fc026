-- Issue 8 item 7: a device id is a slot that a removed device frees for a later one; the link
-- serial in the key-transparency device list says which device holds it. A trusted key is trusted
-- for one serial: the same slot under another serial is another device (the old one was removed;
-- its key and session are forgotten), the same serial under another key a changed key. Keys and
-- serials of removed devices are remembered, so neither comes back. Until now ids were never
-- reused: every serial so far is its device id.
ALTER TABLE trusted_key ADD COLUMN link_serial INTEGER;
UPDATE trusted_key SET link_serial = device_id;
ALTER TABLE retired_key ADD COLUMN link_serial INTEGER;
UPDATE retired_key SET link_serial = device_id;
