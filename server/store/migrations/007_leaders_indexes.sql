-- The leaders' view over a year of history (measured by `npm run bench -- leaders`): indexes
-- that let its windows read their part of the history instead of all of it.

-- A window's cases are those open in it or due in it: resolved_at NULL, resolved_at after its
-- start, or deadline_at after its start. With an index for each arm of that OR, a month reads a
-- month's cases (a bitmap OR) instead of the whole table; the on-time indicator reads its
-- deadlines by the second index.
CREATE INDEX cases_resolved_at ON cases (resolved_at);
CREATE INDEX cases_deadline_at ON cases (deadline_at);

-- Open at a moment (the time machine): reported by then and not closed by then, i.e. the range
-- report → close contains the moment (store/history.ts, OPEN_AT, writes the same expression).
-- As two inequalities on two columns it is estimated as if they were independent (tens of
-- thousands of cases open at a moment months ago, where a few thousand were), which chose full
-- scans of the change log and JIT compilation; as a range it is estimated from its own
-- statistics and found by this index. GREATEST gives a close before the report (which the
-- domain never writes) an empty range instead of failing the write, as the two inequalities
-- were never both true for it either.
CREATE INDEX cases_open_span ON cases USING gist
  (tstzrange(reported_at, CASE WHEN closed_at IS NOT NULL THEN GREATEST(closed_at, reported_at) END, '[)'));
CREATE INDEX incidents_open_span ON incidents USING gist
  (tstzrange(reported_at, CASE WHEN closed_at IS NOT NULL THEN GREATEST(closed_at, reported_at) END, '[)'));

-- Grid coverage: whether a position lay in a cell during a bucket, one probe per cell and
-- bucket, instead of bucketing every position of the window (a year's tracks).
CREATE INDEX positions_cell_at ON positions (cell, at);

-- The time machine's changes in a span: those stored in it (changes_at) or reported in it, by
-- the report's own time, their view's updatedAt (store/history.ts, changesBetween).
CREATE INDEX changes_updated_at ON changes (((view->>'updatedAt')::bigint)) WHERE kind IN ('case', 'incident');
