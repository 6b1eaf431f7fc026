-- Issue 10: the change that made each group's state, so that this device can hand a member's
-- device that is new to the group (linked after the group was made) the state with the change and
-- the state it follows, before the first message it sends it. Sealed in an encrypted profile
-- (Secret.GROUP_LAST_CHANGE): it names members.
ALTER TABLE chat_group ADD COLUMN last_change BLOB;
