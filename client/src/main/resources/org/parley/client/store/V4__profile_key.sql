-- Encryption at rest (docs/security.md). While this row exists the profile is encrypted: every
-- value listed in Secret.java is sealed (AES-256-GCM) under a random profile key, stored here
-- wrapped under a key that Argon2id derives from the passphrase with these parameters and salt.
-- key_id is random and new with every key: another process holding the file open sees the key
-- change and stops instead of writing values under a key that is gone.
CREATE TABLE profile_key (
  id          INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  key_id      BLOB    NOT NULL,
  kdf         TEXT    NOT NULL CHECK (kdf = 'argon2id'),
  memory_kib  INTEGER NOT NULL,
  iterations  INTEGER NOT NULL,
  parallelism INTEGER NOT NULL,
  salt        BLOB    NOT NULL,
  wrapped_key BLOB    NOT NULL
);
