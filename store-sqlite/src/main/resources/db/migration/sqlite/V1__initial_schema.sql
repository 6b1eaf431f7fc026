-- Parley's embedded schema. Account ids are canonical UUID text, device ids 1..127, times are
-- milliseconds since the epoch. Every table that belongs to a device references it, so that a
-- device can only be removed together with its keys and queue (see JdbcDeviceStore.remove).

CREATE TABLE accounts (
  id             TEXT    NOT NULL PRIMARY KEY,
  handle         TEXT    NOT NULL UNIQUE,   -- lowercased by Handle
  created_at     INTEGER NOT NULL,
  -- the next device id to hand out; only ever grows, so ids of removed devices are never reused
  next_device_id INTEGER NOT NULL
);

CREATE TABLE devices (
  account_id      TEXT    NOT NULL REFERENCES accounts (id),
  device_id       INTEGER NOT NULL,
  name            TEXT,
  registration_id INTEGER NOT NULL,
  identity_key    BLOB    NOT NULL,
  password_salt   BLOB    NOT NULL,
  password_hash   BLOB    NOT NULL,
  created_at      INTEGER NOT NULL,
  -- seq of the next envelope queued for this device: strictly increasing in commit order
  next_seq        INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (account_id, device_id)
);

-- The signed EC prekey and the last-resort Kyber prekey: exactly one of each per device.
CREATE TABLE device_keys (
  account_id            TEXT    NOT NULL,
  device_id             INTEGER NOT NULL,
  signed_key_id         INTEGER NOT NULL,
  signed_public_key     BLOB    NOT NULL,
  signed_signature      BLOB    NOT NULL,
  last_resort_key_id    INTEGER NOT NULL,
  last_resort_public_key BLOB   NOT NULL,
  last_resort_signature BLOB    NOT NULL,
  PRIMARY KEY (account_id, device_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);

-- One-time EC prekeys; id orders them by upload, so takeBundle hands out the oldest first.
CREATE TABLE one_time_prekeys (
  id         INTEGER NOT NULL PRIMARY KEY,
  account_id TEXT    NOT NULL,
  device_id  INTEGER NOT NULL,
  key_id     INTEGER NOT NULL,
  public_key BLOB    NOT NULL,
  UNIQUE (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
CREATE INDEX one_time_prekeys_oldest ON one_time_prekeys (account_id, device_id, id);

-- One-time Kyber prekeys, same shape plus the signature.
CREATE TABLE one_time_kyber_prekeys (
  id         INTEGER NOT NULL PRIMARY KEY,
  account_id TEXT    NOT NULL,
  device_id  INTEGER NOT NULL,
  key_id     INTEGER NOT NULL,
  public_key BLOB    NOT NULL,
  signature  BLOB    NOT NULL,
  UNIQUE (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
CREATE INDEX one_time_kyber_prekeys_oldest ON one_time_kyber_prekeys (account_id, device_id, id);

-- The per-device queues. The primary key index serves the queue read as a range scan.
CREATE TABLE envelopes (
  account_id        TEXT    NOT NULL,
  device_id         INTEGER NOT NULL,
  seq               INTEGER NOT NULL,
  id                TEXT    NOT NULL,
  source_account_id TEXT    NOT NULL,
  source_handle     TEXT    NOT NULL,
  source_device_id  INTEGER NOT NULL,
  type              TEXT    NOT NULL,
  sent_at           INTEGER NOT NULL,
  server_timestamp  INTEGER NOT NULL,
  content           BLOB    NOT NULL,
  PRIMARY KEY (account_id, device_id, seq),
  UNIQUE (account_id, device_id, id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);

-- Device links in progress. The new device's keys wait here as their JSON wire form until the
-- link is approved; account_id and device_id are set on approval.
CREATE TABLE links (
  code          TEXT    NOT NULL PRIMARY KEY,
  device_name   TEXT,
  password_salt BLOB    NOT NULL,
  password_hash BLOB    NOT NULL,
  device_keys   TEXT    NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  state         TEXT    NOT NULL,
  account_id    TEXT    REFERENCES accounts (id),
  device_id     INTEGER
);
CREATE INDEX links_expiry ON links (expires_at);
