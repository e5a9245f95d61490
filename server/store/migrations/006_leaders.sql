-- The leaders' view: reference data (populations), survey indicators a leader enters, what the
-- hotline's three rates need, and the indexes its aggregations and the time machine read by.

-- Per subdistrict (and '110102' for the district): population and the like, from the census
-- (geo/data/population.csv, seeded at start where a row is missing) or entered by a leader.
-- NULL is "not known": a measure that needs it says so.
CREATE TABLE area_reference (
  adcode      text PRIMARY KEY,
  population  integer CHECK (population > 0),
  households  integer CHECK (households > 0),
  communities integer CHECK (communities > 0),
  source_note text NOT NULL DEFAULT '',
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL
);

-- Yearly survey figures of the plan's indicators (safety feeling, food safety, …), one value a
-- period (a year, '2025'), for the district ('110102') or a subdistrict.
CREATE TABLE survey_values (
  indicator  text NOT NULL,
  period     text NOT NULL,
  adcode     text NOT NULL,
  value      double precision NOT NULL,
  entered_at timestamptz NOT NULL,
  entered_by text NOT NULL,
  PRIMARY KEY (indicator, adcode, period)
);

-- Cases: when they first left 'reported' (the response), when they closed, the call-back's
-- answers (回访: solved, satisfaction) and a pseudonymous reporter id (online participation);
-- none of these is streamed.
ALTER TABLE cases
  ADD COLUMN responded_at timestamptz,
  ADD COLUMN closed_at    timestamptz,
  ADD COLUMN reporter     text,
  ADD COLUMN solved       boolean,
  ADD COLUMN satisfaction text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied'));
UPDATE cases SET responded_at = CASE WHEN state <> 'reported' THEN updated_at END,
  closed_at = CASE WHEN state = 'closed' THEN updated_at END;

-- Windows of report time, per area; the time machine's open-at-a-moment test.
CREATE INDEX cases_span ON cases (reported_at, closed_at);
CREATE INDEX incidents_reported ON incidents (reported_at);
-- The last view of an entity before a moment (DISTINCT ON entity, seq descending).
CREATE INDEX changes_entity ON changes (entity_id, seq);
CREATE INDEX status_changes_at ON status_changes (at);
