-- From this version on every connection runs with secure_delete (SqliteStoreProvider): deleted
-- rows are overwritten with zeros. A database migrated from an earlier version is rewritten once
-- with VACUUM after this migration, so that pages freed before it hold nothing either.
PRAGMA secure_delete = ON;
