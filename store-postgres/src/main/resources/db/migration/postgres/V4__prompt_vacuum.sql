-- What is deleted should be gone (docs/security.md, "What the server keeps"). A deleted row stays
-- in its page until VACUUM frees its space and a new row overwrites it; by default autovacuum
-- waits until a fifth of a table is dead. The queue and the one-time keys are deleted row by row
-- all day, so vacuum them after a fixed number of dead rows instead, whatever the table's size,
-- and without the cost-based pauses that let a busy table's dead rows pile up.
ALTER TABLE envelopes SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_cost_delay = 0);
ALTER TABLE one_time_prekeys SET (autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE one_time_kyber_prekeys SET (autovacuum_vacuum_scale_factor = 0,
  autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE links SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 100,
  autovacuum_vacuum_cost_delay = 0);
