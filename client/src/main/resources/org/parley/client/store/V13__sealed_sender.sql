-- Issue 10, sealed sender (docs/spec/sealed-sender.md).
-- The trust root pinned on first use, this device's own delivery credential (a secret:
-- Secret.OWN_DELIVERY_CREDENTIAL) and whether the server has it, and the sender certificate in use.
CREATE TABLE sealed_sender (
  id                  INTEGER PRIMARY KEY CHECK (id = 1),
  trust_root          BLOB    NOT NULL,
  own_credential      BLOB,
  credential_at       INTEGER,
  certificate         BLOB,
  certificate_expires INTEGER
);
-- The delivery credential each contact device handed this device (Secret.DELIVERY_CREDENTIAL):
-- what lets this device send it sealed envelopes.
CREATE TABLE delivery_credential (
  account_id  TEXT    NOT NULL,
  device_id   INTEGER NOT NULL,
  credential  BLOB    NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (account_id, device_id)
);
