-- Issue 8: nothing sent is lost. A text this device sends is stored (and its recipients, once
-- known) before it goes to the network, so a receipt that comes first finds it, and a text the
-- server did not take waits in the outbox for the next command that reaches the server.

-- send_state: NULL once the server took the text (or for texts not sent by this device),
-- 'pending' while it waits in the outbox, 'failed' if the server refused it for good.
-- send_error: why it is pending (the last attempt's failure) or failed.
ALTER TABLE message ADD COLUMN send_state TEXT CHECK (send_state IN ('pending', 'failed'));
ALTER TABLE message ADD COLUMN send_error TEXT;

-- A text not yet taken by the server: the MIMI content exactly as the peer is to receive it
-- (sealed in an encrypted profile), so a retry has the same message id and a resend of a text
-- the server did take after all is dropped as a duplicate by the recipient. It is encrypted again
-- at each attempt, for the devices the account has then.
CREATE TABLE outbox (
  message_id INTEGER PRIMARY KEY REFERENCES message (id) ON DELETE CASCADE,
  content    BLOB    NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0
);

-- A receipt for a text this device does not know yet (a copy another of our devices sent that
-- has not arrived): applied when the text is stored, dropped after 30 days.
CREATE TABLE early_receipt (
  mimi_id     BLOB    NOT NULL,
  peer        TEXT    NOT NULL,
  account_id  TEXT    NOT NULL,
  device_id   INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (mimi_id, account_id, device_id)
);
