-- Issue 10: what people do in a conversation (docs/spec/content.md, section 2.1): replies,
-- edits, unsend, reactions, read receipts and disappearing messages, in one-to-one and group
-- conversations alike (a group's conversation is 'group:<id>').

-- reply_to: the MIMI id of the message a text answers (it may be unknown here).
-- edits / edited_at: how many edits were applied, and the sender's time of the one shown.
-- gone: 'unsent' (its sender took it back; shown as such) or 'expired' (its timer ran out; not
-- shown). Either way the body is wiped and the row stays, so a repeat of the message is dropped.
-- expires_at: when this device deletes it (ms), for a disappearing message.
-- read_at: for a text from someone else, when this device showed it to its person.
ALTER TABLE message ADD COLUMN reply_to BLOB;
ALTER TABLE message ADD COLUMN edits INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message ADD COLUMN edited_at INTEGER;
ALTER TABLE message ADD COLUMN gone TEXT CHECK (gone IN ('unsent', 'expired'));
ALTER TABLE message ADD COLUMN expires_at INTEGER;
ALTER TABLE message ADD COLUMN read_at INTEGER;
CREATE INDEX message_expiry ON message (expires_at) WHERE expires_at IS NOT NULL AND gone IS NULL;

-- The edits applied to a text (or refused: kept too, so a repeat is not counted again).
CREATE TABLE message_revision (
  mimi_id    BLOB    PRIMARY KEY,
  message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  sent_at    INTEGER NOT NULL
);

-- Reactions; a person's newer reaction to a message replaces the older (removed = 1), and a
-- removed one stays so that a repeat does not bring it back.
CREATE TABLE reaction (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  mimi_id       BLOB    NOT NULL UNIQUE,
  message_id    INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  sender_handle TEXT    NOT NULL,
  sender_device INTEGER NOT NULL,
  body          TEXT    NOT NULL,
  sent_at       INTEGER NOT NULL,
  removed       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX reaction_by_message ON reaction (message_id);

-- 'read' joins 'sent' and 'delivered' (the CHECK of V1 cannot be altered in place); reader is
-- the handle of the person whose device sent the receipt, to show read receipts per person.
CREATE TABLE delivery_v14 (
  message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  account_id TEXT    NOT NULL,
  device_id  INTEGER NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('sent', 'delivered', 'read')),
  updated_at INTEGER NOT NULL,
  reader     TEXT,
  PRIMARY KEY (message_id, account_id, device_id)
);
INSERT INTO delivery_v14 (message_id, account_id, device_id, status, updated_at)
  SELECT message_id, account_id, device_id, status, updated_at FROM delivery;
DROP TABLE delivery;
ALTER TABLE delivery_v14 RENAME TO delivery;

ALTER TABLE early_receipt ADD COLUMN status TEXT NOT NULL DEFAULT 'delivered'
  CHECK (status IN ('delivered', 'read'));

-- A one-to-one conversation's disappearing-message timer, as the latest setting by either side
-- made it (a group's is in its state).
CREATE TABLE conversation_timer (
  peer       TEXT    PRIMARY KEY,
  seconds    INTEGER NOT NULL,
  set_at     INTEGER NOT NULL,  -- the setter's clock, so the later of two settings wins
  set_by     TEXT    NOT NULL
);

-- This device's own settings ('read_receipts' = 'on' | 'off').
CREATE TABLE chat_setting (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Read receipts owed to senders, sent by the next command that reaches the server.
CREATE TABLE owed_read_receipt (
  mimi_id      BLOB    PRIMARY KEY,
  conversation TEXT    NOT NULL,
  handle       TEXT    NOT NULL,  -- the sender's, whose devices get the receipt
  owed_at      INTEGER NOT NULL
);

-- A receipt that came before its text: reader as in delivery.
ALTER TABLE early_receipt ADD COLUMN reader TEXT;
