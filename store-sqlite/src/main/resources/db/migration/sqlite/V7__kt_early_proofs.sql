-- Issue 9: the VRF proof of a label version the next epoch will add, made when the change was
-- recorded (docs/architecture.md, "Proofs made at change time"), kept here until that epoch so
-- that the publisher only checks its seal (a MAC of the log's own) instead of proving. Any node
-- may write one and the publisher, wherever it runs, reads them; a restart loses none. A row is
-- a hint: one that does not open, or is missing, is proven again at publish. Publishing a
-- version deletes the label's rows up to it.
CREATE TABLE kt_early_proofs (
  label      BLOB    NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 0),
  account_id TEXT    NOT NULL,
  sealed     BLOB    NOT NULL,
  PRIMARY KEY (label, version)
);
CREATE INDEX kt_early_proofs_account ON kt_early_proofs (account_id);
