-- Feeds: every source of data has its own API key (only a hash of its secret is kept), declares
-- the coordinate system it sends, and may be marked as a simulator. Volunteers' phones are
-- known by their device id; reports from devices nobody registered are counted, not attached.

CREATE TABLE feed_keys (
  id              text PRIMARY KEY,
  name            text NOT NULL,
  secret_sha256   text NOT NULL,
  coordinates     text NOT NULL DEFAULT 'wgs84' CHECK (coordinates IN ('wgs84', 'gcj02')),
  simulated       boolean NOT NULL DEFAULT false,
  rate_per_minute integer NOT NULL DEFAULT 600 CHECK (rate_per_minute > 0),
  created_at      timestamptz NOT NULL DEFAULT now(),
  revoked_at      timestamptz
);

ALTER TABLE volunteers ADD COLUMN device_id text UNIQUE;

ALTER TABLE positions
  ADD COLUMN accuracy double precision,
  ADD COLUMN speed    double precision,
  ADD COLUMN bearing  double precision,
  ADD COLUMN altitude double precision,
  ADD COLUMN battery  double precision;

CREATE TABLE unknown_devices (
  device_id  text PRIMARY KEY,
  protocol   text NOT NULL,
  feed_key   text,
  first_seen timestamptz NOT NULL DEFAULT now(),
  last_seen  timestamptz NOT NULL DEFAULT now(),
  reports    bigint NOT NULL DEFAULT 1
);
