-- Issue 9: a send to a known contact uses the cached proven list for 30 epochs, so the devices the
-- last proof refused are kept with it, with why: every process (not only the one that proved the
-- list) names them in withheldDevices, and says why they were not sent to.
CREATE TABLE contact_refused (
  account_id TEXT    NOT NULL REFERENCES contact (account_id) ON DELETE CASCADE,
  device_id  INTEGER NOT NULL,
  reason     TEXT    NOT NULL,
  PRIMARY KEY (account_id, device_id)
);
