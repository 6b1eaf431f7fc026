-- Trust comes from the key-transparency log only (docs/security.md, "What the client takes from
-- the server"). Version 2 and earlier trusted a key on first use inside the crypto layer; those
-- keys are forgotten here and proven again by the log the next time they are used. The contact
-- cache held handles as the server stated them: from now on it holds only bindings the log
-- proved, so it starts empty too.
DELETE FROM remote_identity;
DELETE FROM contact_device;
DELETE FROM contact;

-- Why this device trusts each remote device key: 'proven' (the log proved the key for the device
-- in the account's device list and its approval verified) or 'accepted' (the person accepted a
-- proven key that replaced an earlier one, after comparing safety numbers). The crypto module's
-- remote_identity row is written in the same transaction as this one, and never otherwise.
CREATE TABLE trusted_key (
  account_id    TEXT    NOT NULL,
  device_id     INTEGER NOT NULL,
  identity_key  BLOB    NOT NULL,
  basis         TEXT    NOT NULL CHECK (basis IN ('proven', 'accepted')),
  label_version INTEGER NOT NULL, -- the version of the account's device list that proved it
  trusted_at    INTEGER NOT NULL,
  PRIMARY KEY (account_id, device_id)
);

-- Keys of devices this device saw leave an account's proven device list (its own account's, from
-- owner monitoring; a contact's, from the lists it was shown). A key here never comes back.
CREATE TABLE retired_key (
  account_id   TEXT    NOT NULL,
  identity_key BLOB    NOT NULL,
  device_id    INTEGER NOT NULL,
  retired_at   INTEGER NOT NULL,
  PRIMARY KEY (account_id, identity_key)
);

-- Envelopes held back because the log does not prove their sender's device yet: neither shown
-- nor acknowledged until it does, or refused (with an alarm) once the hold time is over.
CREATE TABLE held_envelope (
  envelope_id TEXT    NOT NULL PRIMARY KEY,
  first_seen  INTEGER NOT NULL
);

-- The log's epoch as first learned (bounded), so the server cannot stretch the client's waits
-- later.
ALTER TABLE kt_log ADD COLUMN epoch_millis INTEGER;
