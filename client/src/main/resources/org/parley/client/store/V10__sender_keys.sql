-- Issue 10: libsignal sender-key chains, this device's own and those other member devices sent
-- it, one per (sending device, distribution id). The record holds chain keys (and, for this
-- device's own chains, the signing key): sealed in an encrypted profile (Secret.SENDER_KEY).
CREATE TABLE sender_key (
  account_id      TEXT    NOT NULL,
  device_id       INTEGER NOT NULL,
  distribution_id TEXT    NOT NULL,
  record          BLOB    NOT NULL,
  PRIMARY KEY (account_id, device_id, distribution_id)
);
