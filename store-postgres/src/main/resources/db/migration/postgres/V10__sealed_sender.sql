-- Issue 10, sealed sender (docs/spec/sealed-sender.md). A sealed envelope names no sender, so the
-- envelope's source columns may be NULL (exactly for type 'sealed_sender').
ALTER TABLE envelopes ALTER COLUMN source_account_id DROP NOT NULL;
ALTER TABLE envelopes ALTER COLUMN source_handle DROP NOT NULL;
ALTER TABLE envelopes ALTER COLUMN source_device_id DROP NOT NULL;

-- The SHA-256 hash of the delivery credential each device hands its contacts; a sealed send to the
-- device must carry the credential. Only the hash: a copy of the database sends nothing sealed.
-- Deleted with its device, so a later device in the same slot starts without one.
CREATE TABLE delivery_credentials (
  account_id      text    NOT NULL,
  device_id       integer NOT NULL,
  credential_hash bytea   NOT NULL,
  PRIMARY KEY (account_id, device_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
);
