-- Dispatch: the registry grows skills, communities and shifts; a coordinator assigns a team to
-- an incident (an assignment, answered by its members); every volunteer status move is kept
-- with its time; incidents keep their response clocks and grid cases their deadlines and
-- 吹哨报到 (whistle) escalations. Volunteers open their own page with a personal link.

ALTER TABLE teams ADD COLUMN community text;

ALTER TABLE volunteers
  ADD COLUMN skills    text[] NOT NULL DEFAULT '{}',
  ADD COLUMN community text;

-- Planned duty: when a volunteer is expected on duty. Duty itself is the status.
CREATE TABLE shifts (
  id           bigserial PRIMARY KEY,
  volunteer_id text NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  CHECK (ends_at > starts_at)
);
CREATE INDEX shifts_volunteer ON shifts (volunteer_id, starts_at);

-- Every status move of a volunteer, whoever caused it (a feed, a coordinator, the volunteer).
CREATE TABLE status_changes (
  id           bigserial PRIMARY KEY,
  volunteer_id text NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  at           timestamptz NOT NULL,
  assignment   bigint
);
CREATE INDEX status_changes_volunteer ON status_changes (volunteer_id, at);

CREATE TABLE assignments (
  id            bigserial PRIMARY KEY,
  incident_id   text NOT NULL REFERENCES incidents (id),
  team_id       text NOT NULL REFERENCES teams (id),
  state         text NOT NULL CHECK (state IN
                  ('offered', 'accepted', 'en_route', 'on_scene', 'released', 'declined', 'timed_out', 'cancelled')),
  dispatched_by text NOT NULL,
  -- the recommendation as the coordinator saw it: rank and reason
  reason        jsonb,
  offered_at    timestamptz NOT NULL,
  answer_by     timestamptz NOT NULL,
  accepted_at   timestamptz,
  en_route_at   timestamptz,
  on_scene_at   timestamptz,
  ended_at      timestamptz
);
-- A team works on one incident at a time: a second active assignment is refused by the store too.
CREATE UNIQUE INDEX assignments_one_active_per_team ON assignments (team_id)
  WHERE state IN ('offered', 'accepted', 'en_route', 'on_scene');
CREATE INDEX assignments_incident ON assignments (incident_id);
CREATE INDEX assignments_waiting ON assignments (answer_by) WHERE state = 'offered';

-- The members an assignment was offered to, and what each answered.
CREATE TABLE assignment_members (
  assignment_id bigint NOT NULL REFERENCES assignments (id),
  volunteer_id  text NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
  answer        text CHECK (answer IN ('accepted', 'declined', 'no_answer')),
  answered_at   timestamptz,
  PRIMARY KEY (assignment_id, volunteer_id)
);
CREATE INDEX assignment_members_volunteer ON assignment_members (volunteer_id);

-- Response clocks: reported_at is there already. dispatch_version counts assignment changes,
-- so two coordinators cannot both act on what they saw before the other's change.
ALTER TABLE incidents
  ADD COLUMN dispatched_at    timestamptz,
  ADD COLUMN on_scene_at      timestamptz,
  ADD COLUMN closed_at        timestamptz,
  ADD COLUMN dispatch_version integer NOT NULL DEFAULT 0,
  ADD COLUMN teams            jsonb NOT NULL DEFAULT '[]';
CREATE INDEX incidents_on_scene ON incidents (on_scene_at) WHERE on_scene_at IS NOT NULL;

ALTER TABLE cases
  ADD COLUMN urgency     text NOT NULL DEFAULT 'normal',
  ADD COLUMN deadline_at timestamptz,
  ADD COLUMN resolved_at timestamptz,
  ADD COLUMN whistle     jsonb;
-- Cases stored before deadlines existed get the common 24 hours and, once resolved, their
-- last update as the time they were resolved.
UPDATE cases SET deadline_at = reported_at + interval '24 hours',
  resolved_at = CASE WHEN state IN ('resolved', 'closed') THEN updated_at END;
ALTER TABLE cases ALTER COLUMN deadline_at SET NOT NULL;
CREATE INDEX cases_deadline ON cases (deadline_at) WHERE resolved_at IS NULL;

-- A volunteer's own page opens with a personal link, like a wall link; revocable.
CREATE TABLE volunteer_links (
  id           text PRIMARY KEY,
  volunteer_id text NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
  created_by   text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  revoked_at   timestamptz
);
CREATE INDEX volunteer_links_volunteer ON volunteer_links (volunteer_id);

ALTER TABLE sessions ADD COLUMN volunteer_link_id text REFERENCES volunteer_links (id) ON DELETE CASCADE;
ALTER TABLE sessions DROP CONSTRAINT sessions_check;
ALTER TABLE sessions ADD CONSTRAINT sessions_one_owner CHECK (num_nonnulls(user_id, wall_link_id, volunteer_link_id) = 1);
