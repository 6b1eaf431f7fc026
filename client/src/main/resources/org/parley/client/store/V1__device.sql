-- Version 1 of a Parley device's local state. Times are ms since the Unix epoch.

-- This device: one row, once registration or a link request started.
-- state: 'linking' (waiting for approval: account_id, handle, device_id unset) or 'active'.
CREATE TABLE device (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  state          TEXT    NOT NULL CHECK (state IN ('linking', 'active')),
  server_url     TEXT    NOT NULL,
  device_name    TEXT    NOT NULL,
  password       TEXT    NOT NULL,
  account_id     TEXT,
  handle         TEXT,
  device_id      INTEGER,
  link_code      TEXT,
  link_expires_at INTEGER,
  created_at     INTEGER NOT NULL
);

-- The crypto module's ProtocolState: opaque libsignal records.
CREATE TABLE local_identity (
  id              INTEGER PRIMARY KEY CHECK (id = 1),
  key_pair        BLOB    NOT NULL,
  registration_id INTEGER NOT NULL
);
CREATE TABLE key_id_series (
  series  TEXT    PRIMARY KEY,
  last_id INTEGER NOT NULL
);
CREATE TABLE prekey (
  key_id INTEGER PRIMARY KEY,
  record BLOB    NOT NULL
);
CREATE TABLE signed_prekey (
  key_id INTEGER PRIMARY KEY,
  record BLOB    NOT NULL
);
CREATE TABLE kyber_prekey (
  key_id      INTEGER PRIMARY KEY,
  record      BLOB    NOT NULL,
  last_resort INTEGER NOT NULL CHECK (last_resort IN (0, 1))
);
CREATE TABLE kyber_prekey_use (
  kyber_key_id  INTEGER NOT NULL REFERENCES kyber_prekey (key_id) ON DELETE CASCADE,
  signed_key_id INTEGER NOT NULL,
  base_key      BLOB    NOT NULL,
  PRIMARY KEY (kyber_key_id, signed_key_id, base_key)
);
CREATE TABLE session (
  account_id TEXT    NOT NULL,
  device_id  INTEGER NOT NULL,
  record     BLOB    NOT NULL,
  PRIMARY KEY (account_id, device_id)
);
CREATE TABLE remote_identity (
  account_id   TEXT    NOT NULL,
  device_id    INTEGER NOT NULL,
  identity_key BLOB    NOT NULL,
  updated_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, device_id)
);

-- Contacts (and this account itself): handle, account id and the last device list fetched.
CREATE TABLE contact (
  account_id TEXT    PRIMARY KEY,
  handle     TEXT    NOT NULL UNIQUE,
  fetched_at INTEGER NOT NULL
);
CREATE TABLE contact_device (
  account_id      TEXT    NOT NULL REFERENCES contact (account_id) ON DELETE CASCADE,
  device_id       INTEGER NOT NULL,
  registration_id INTEGER NOT NULL,
  identity_key    BLOB    NOT NULL,
  name            TEXT,
  PRIMARY KEY (account_id, device_id)
);

-- Message history. A conversation is named by the other party's handle (peer).
-- kind: 'text' or 'error' (an envelope that could not be decrypted or understood).
-- direction: 'in' (from the peer) or 'out' (sent by this or one of our other devices).
-- recipient_devices: M of "delivered to N of M"; unknown (NULL) for copies our other devices sent.
CREATE TABLE message (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  peer              TEXT    NOT NULL,
  kind              TEXT    NOT NULL CHECK (kind IN ('text', 'error')),
  direction         TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
  mimi_id           BLOB    UNIQUE,
  sender_handle     TEXT    NOT NULL,
  sender_device     INTEGER NOT NULL,
  body              TEXT    NOT NULL,
  sent_at           INTEGER NOT NULL,
  server_at         INTEGER,
  stored_at         INTEGER NOT NULL,
  recipient_devices INTEGER
);
CREATE INDEX message_by_peer ON message (peer, id);

-- Per recipient device of an outgoing message: 'sent', then 'delivered' when its receipt arrives.
CREATE TABLE delivery (
  message_id INTEGER NOT NULL REFERENCES message (id) ON DELETE CASCADE,
  account_id TEXT    NOT NULL,
  device_id  INTEGER NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('sent', 'delivered')),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (message_id, account_id, device_id)
);

-- Envelopes already processed: a redelivered one is acknowledged again without decrypting.
CREATE TABLE processed_envelope (
  envelope_id  TEXT    PRIMARY KEY,
  processed_at INTEGER NOT NULL
);
