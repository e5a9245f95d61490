-- The live state and its change log. Every state change takes a number from live_seq; the
-- changes table keeps the view that was streamed, so a reconnecting wall is served what it
-- missed from here. Coordinates are WGS-84 lon/lat as plain numbers (no PostGIS on PGlite).

CREATE SEQUENCE live_seq;

CREATE TABLE teams (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  subdistrict text NOT NULL,
  specialty   text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE volunteers (
  id          text PRIMARY KEY,
  team_id     text NOT NULL REFERENCES teams (id),
  name        text NOT NULL,
  phone       text,
  status      text NOT NULL DEFAULT 'off_duty',
  status_at   timestamptz NOT NULL DEFAULT now(),
  lon         double precision,
  lat         double precision,
  subdistrict text,
  cell        text,
  outside     boolean NOT NULL DEFAULT false,
  position_at timestamptz,
  seq         bigint NOT NULL
);
CREATE INDEX volunteers_seq ON volunteers (seq);

-- Position history (tracks); one row per accepted report.
CREATE TABLE positions (
  volunteer_id text NOT NULL REFERENCES volunteers (id),
  at           timestamptz NOT NULL,
  lon          double precision NOT NULL,
  lat          double precision NOT NULL,
  subdistrict  text,
  cell         text,
  outside      boolean NOT NULL,
  seq          bigint NOT NULL
);
CREATE INDEX positions_volunteer_at ON positions (volunteer_id, at);

CREATE TABLE cases (
  id          text PRIMARY KEY,
  source      text NOT NULL,
  source_id   text NOT NULL,
  category    text NOT NULL,
  state       text NOT NULL,
  lon         double precision NOT NULL,
  lat         double precision NOT NULL,
  subdistrict text,
  cell        text,
  outside     boolean NOT NULL,
  description text,
  reported_at timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  seq         bigint NOT NULL,
  UNIQUE (source, source_id)
);
CREATE INDEX cases_open ON cases (state) WHERE state <> 'closed';

CREATE TABLE incidents (
  id          text PRIMARY KEY,
  kind        text NOT NULL,
  severity    smallint NOT NULL,
  state       text NOT NULL,
  lon         double precision NOT NULL,
  lat         double precision NOT NULL,
  subdistrict text,
  cell        text,
  outside     boolean NOT NULL,
  description text,
  reported_at timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  seq         bigint NOT NULL
);
CREATE INDEX incidents_open ON incidents (state) WHERE state <> 'closed';

CREATE TABLE changes (
  seq       bigint PRIMARY KEY,
  kind      text NOT NULL,
  entity_id text NOT NULL,
  created   boolean NOT NULL,
  view      jsonb NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
