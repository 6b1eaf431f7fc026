-- Parley's PostgreSQL schema; the same tables as the embedded SQLite store (see
-- server/src/main/resources/db/migration/sqlite). Account ids are canonical UUID text, device ids
-- 1..127, times are milliseconds since the epoch. Every table that belongs to a device references
-- it, so a device can only be removed together with its keys and queue.

CREATE TABLE accounts (
  id             text    NOT NULL PRIMARY KEY,
  handle         text    NOT NULL UNIQUE,  -- lowercased by Handle
  created_at     bigint  NOT NULL,
  -- the next device id to hand out; only ever grows, so ids of removed devices are never reused
  next_device_id integer NOT NULL
);

CREATE TABLE devices (
  account_id      text    NOT NULL REFERENCES accounts (id),
  device_id       integer NOT NULL,
  name            text,
  registration_id integer NOT NULL,
  identity_key    bytea   NOT NULL,
  password_salt   bytea   NOT NULL,
  password_hash   bytea   NOT NULL,
  created_at      bigint  NOT NULL,
  -- seq of the next envelope queued for this device; updated under this row's lock, so seqs grow
  -- in commit order
  next_seq        bigint  NOT NULL DEFAULT 1,
  PRIMARY KEY (account_id, device_id)
);

-- The signed EC prekey and the last-resort Kyber prekey: exactly one of each per device.
CREATE TABLE device_keys (
  account_id             text    NOT NULL,
  device_id              integer NOT NULL,
  signed_key_id          integer NOT NULL,
  signed_public_key      bytea   NOT NULL,
  signed_signature       bytea   NOT NULL,
  last_resort_key_id     integer NOT NULL,
  last_resort_public_key bytea   NOT NULL,
  last_resort_signature  bytea   NOT NULL,
  PRIMARY KEY (account_id, device_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);

-- One-time EC prekeys; id orders them by upload, so a bundle fetch hands out the oldest first.
CREATE TABLE one_time_prekeys (
  id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id text    NOT NULL,
  device_id  integer NOT NULL,
  key_id     integer NOT NULL,
  public_key bytea   NOT NULL,
  UNIQUE (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
CREATE INDEX one_time_prekeys_oldest ON one_time_prekeys (account_id, device_id, id);

CREATE TABLE one_time_kyber_prekeys (
  id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id text    NOT NULL,
  device_id  integer NOT NULL,
  key_id     integer NOT NULL,
  public_key bytea   NOT NULL,
  signature  bytea   NOT NULL,
  UNIQUE (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
CREATE INDEX one_time_kyber_prekeys_oldest ON one_time_kyber_prekeys (account_id, device_id, id);

-- The per-device queues; the primary key serves the queue read as an index range scan.
CREATE TABLE envelopes (
  account_id        text    NOT NULL,
  device_id         integer NOT NULL,
  seq               bigint  NOT NULL,
  id                text    NOT NULL,
  source_account_id text    NOT NULL,
  source_handle     text    NOT NULL,
  source_device_id  integer NOT NULL,
  type              text    NOT NULL,
  sent_at           bigint  NOT NULL,
  server_timestamp  bigint  NOT NULL,
  content           bytea   NOT NULL,
  PRIMARY KEY (account_id, device_id, seq),
  UNIQUE (account_id, device_id, id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);

-- Device links in progress; the new device's keys wait as their JSON wire form until approval.
CREATE TABLE links (
  code          text    NOT NULL PRIMARY KEY,
  device_name   text,
  password_salt bytea   NOT NULL,
  password_hash bytea   NOT NULL,
  device_keys   text    NOT NULL,
  created_at    bigint  NOT NULL,
  expires_at    bigint  NOT NULL,
  state         text    NOT NULL,
  account_id    text    REFERENCES accounts (id),
  device_id     integer
);
CREATE INDEX links_expiry ON links (expires_at);
