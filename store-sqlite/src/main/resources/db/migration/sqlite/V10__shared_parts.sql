-- Issue 10, group fan-out (docs/spec/api.md, "Group messages"): every envelope of one group
-- upload ends with the same bytes (the whole ciphertext of a named group message, the ephemeral
-- key and ciphertext of a sealed one), so they are stored once in shared_parts and each envelope
-- row keeps only its own bytes (none, or the 49 of a sealed share) and the part's id. refs counts
-- the queued envelopes that end with the part; the acknowledgement or removal that takes it to
-- zero deletes the part in the same transaction.
CREATE TABLE shared_parts (
  id      TEXT    NOT NULL PRIMARY KEY,
  refs    INTEGER NOT NULL,
  content BLOB    NOT NULL
);
ALTER TABLE envelopes ADD COLUMN shared_part TEXT;
