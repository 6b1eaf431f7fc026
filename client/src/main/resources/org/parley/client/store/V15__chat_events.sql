-- Issue 10: what happened in a conversation besides its messages, shown in its history: a
-- group's changes (created, added, removed, left, admins, renamed, the timer), changes refused
-- with why, and a one-to-one conversation's timer settings. The text names members, so it is
-- sealed in an encrypted profile (Secret.CHAT_EVENT).
CREATE TABLE chat_event (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  peer        TEXT    NOT NULL,  -- the conversation: a handle, or 'group:<id>'
  body        TEXT    NOT NULL,
  happened_at INTEGER NOT NULL
);
CREATE INDEX chat_event_by_peer ON chat_event (peer, id);
