-- Issue 10: the groups this device is in (or was: a removed member keeps the last state it saw),
-- replicated by the members' devices (docs/spec/groups.md). The state names the members, so it is
-- sealed in an encrypted profile (Secret.GROUP_STATE).
CREATE TABLE chat_group (
  id          TEXT    NOT NULL PRIMARY KEY,  -- the group id, 64 lowercase hex
  state       BLOB    NOT NULL,              -- GroupState's encoding
  change_hash BLOB    NOT NULL,              -- hash of the change that made this state
  -- the state that change followed (null at version 1): of two concurrent changes members keep
  -- the one with the smaller hash, so this device may have to apply the other one to it instead
  before_state BLOB,
  chain       TEXT,                          -- this device's sender-key chain for it, or none yet
  updated_at  INTEGER NOT NULL
);

-- The devices given this device's current chain of a group, with the key they had: a device
-- missing here gets the distribution before the next message; one here but gone from its
-- account's proven list (removed, or its slot taken by a new key) makes the chain rotate.
CREATE TABLE group_chain_holder (
  group_id     TEXT    NOT NULL REFERENCES chat_group (id) ON DELETE CASCADE,
  account_id   TEXT    NOT NULL,
  device_id    INTEGER NOT NULL,
  identity_key BLOB    NOT NULL,
  PRIMARY KEY (group_id, account_id, device_id)
);

-- Which group another device's chain is for, as its distribution said (it may come before the
-- change that tells this device about the group, so no reference to chat_group).
CREATE TABLE group_sender_chain (
  account_id      TEXT    NOT NULL,
  device_id       INTEGER NOT NULL,
  distribution_id TEXT    NOT NULL,
  group_id        TEXT    NOT NULL,
  PRIMARY KEY (account_id, device_id, distribution_id)
);
