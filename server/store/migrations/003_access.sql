-- Who may see and do what. People sign in with a password (only its scrypt hash is kept) and get
-- a server-side session; a screen opens with a signed wall link instead. Either may be scoped
-- to one subdistrict (its adcode). Every operational change leaves a line in the audit log.

CREATE TABLE users (
  id              bigserial PRIMARY KEY,
  username        text NOT NULL UNIQUE,
  role            text NOT NULL CHECK (role IN ('operator', 'coordinator', 'leader', 'admin')),
  subdistrict     text,
  password_hash   text NOT NULL,
  must_change     boolean NOT NULL DEFAULT true,
  failed_logins   integer NOT NULL DEFAULT 0,
  locked_until    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  disabled_at     timestamptz
);

CREATE TABLE wall_links (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  subdistrict text,
  created_by  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz
);

-- A session belongs to a user or to a wall link, never both. Only the token's SHA-256 is kept.
CREATE TABLE sessions (
  token_sha256 text PRIMARY KEY,
  user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
  wall_link_id text REFERENCES wall_links (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  CHECK ((user_id IS NULL) <> (wall_link_id IS NULL))
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_wall_link ON sessions (wall_link_id);

CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Server-wide secrets made at the first start (the wall links' signing key).
CREATE TABLE settings (
  name  text PRIMARY KEY,
  value text NOT NULL
);

-- Retention sweeps delete old tracks and old streamed views by time.
CREATE INDEX positions_at ON positions (at);
CREATE INDEX changes_at ON changes (at);
