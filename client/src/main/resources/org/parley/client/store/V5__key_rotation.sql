-- The signed keys this device published (docs/spec/crypto.md, "Rotating signed keys"): its signed
-- EC prekey and its last-resort Kyber prekey are replaced on a schedule, and a replaced one is
-- kept for a grace period, for messages a sender built on it before it learned the new one.
-- uploaded_at is null until the server accepted the key; replaced_at is set when a newer key of
-- the same kind was accepted. The keys themselves stay in signed_prekey and kyber_prekey.
CREATE TABLE published_key (
  kind        TEXT    NOT NULL CHECK (kind IN ('signed_ec', 'last_resort_kyber')),
  key_id      INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  uploaded_at INTEGER,
  replaced_at INTEGER,
  PRIMARY KEY (kind, key_id)
);
