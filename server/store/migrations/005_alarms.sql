-- Alarms: raised when a condition starts to hold (a severe incident, a late whistle, a volunteer
-- silent on scene), acknowledged by an operator, cleared when the condition ends. At most one
-- open alarm per condition; the cleared ones stay as history.
CREATE TABLE alarms (
  id              bigserial PRIMARY KEY,
  kind            text NOT NULL,
  subject         text NOT NULL,
  priority        smallint NOT NULL CHECK (priority BETWEEN 1 AND 3),
  state           text NOT NULL CHECK (state IN ('active', 'acknowledged', 'cleared')),
  subdistrict     text,
  lon             double precision,
  lat             double precision,
  raised_at       timestamptz NOT NULL,
  acknowledged_at timestamptz,
  acknowledged_by text,
  cleared_at      timestamptz,
  seq             bigint NOT NULL
);
CREATE UNIQUE INDEX alarms_one_open ON alarms (kind, subject) WHERE state <> 'cleared';
