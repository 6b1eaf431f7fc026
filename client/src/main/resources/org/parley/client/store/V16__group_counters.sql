-- Issue 10: a Parley counter in group messages (docs/spec/groups.md section 6), so that a member
-- notices a message the server dropped or delivered out of order (sender keys do not say).
-- chain_sent: how many messages this device sent on its current chain of the group.
ALTER TABLE chat_group ADD COLUMN chain_sent INTEGER NOT NULL DEFAULT 0;
-- next_counter: the counter expected of the next message on another device's chain (null until
-- its distribution or first message said).
ALTER TABLE group_sender_chain ADD COLUMN next_counter INTEGER;
