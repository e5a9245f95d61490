-- Every position report rewrites its volunteer's live row (position, cell, seq). With `seq`
-- indexed, and pages packed full, each such UPDATE wrote a new row version elsewhere and a new
-- entry in every index of the table: the largest single cost of a report at the design load
-- (50,000 updates: 1.73 s here). Without an index on a column it changes, and with room left
-- on each page, PostgreSQL updates the row in its page and touches no index (a HOT update):
-- 0.93 s for the same updates.
--
-- The index only served "units changed since seq" on a resync (volunteers.ts, unitViewsSince),
-- which now reads the table: a resync is rare, the table is one row a volunteer, and after a
-- few seconds at the design load nearly every unit has changed anyway.
DROP INDEX volunteers_seq;
ALTER TABLE volunteers SET (fillfactor = 70);
-- Rewrites the rows already there with the new room on each page.
CLUSTER volunteers USING volunteers_pkey;

-- The alarm clock reads the units on scene every tick (alarms.ts), which read the whole table
-- at the design load's 100,000 volunteers (30 ms a tick here). Position updates leave `status`
-- as it was, so an index over it keeps them HOT.
CREATE INDEX volunteers_on_scene ON volunteers (id) WHERE status = 'on_scene';
