/**
 * The dispatch contract: what coordinators, volunteers and the registry console exchange with
 * the server. REST bodies are TypeBox schemas (types, validation and OpenAPI from one source);
 * socket commands and events are plain types, added to the event maps in live.ts.
 *
 * Flow: a coordinator opens an incident (`dispatch:open`) and sees its assignments, the ranked
 * recommendations with their reasons, and who else has it open. `dispatch:assign` offers the
 * incident to a team, but only if the incident's dispatch `version` is still the one the
 * coordinator saw (else DISPATCH_CONFLICT, with the current state). The team's available
 * members get the offer on their volunteer page (`/volunteer`), answer it and report en route
 * and on scene. An offer nobody accepts in time escalates to the next team and alerts the
 * coordinators (`dispatch:alert`).
 *
 * Privacy: assignments name volunteers by id only; names come from the registry (coordinators).
 */
import { Type, type Static, type TSchema } from 'typebox';
import type { ErrorInfo, IncidentView } from './live.ts';
import { Lat, Lon, Accuracy } from './ingest.ts';
import {
  ASSIGNMENT_STATES,
  INCIDENT_KINDS,
  SKILLS,
  SPECIALTIES,
  VOLUNTEER_STATUSES,
  type AssignmentState,
  type Skill,
  type Specialty,
  type VolunteerStatus,
} from '../domain/vocabulary.ts';

const Time = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

// ── Recommendation ───────────────────────────────────────────────────────────────────────────

/** Why a team is recommended: every figure the ranking used, to be shown beside it. */
export interface RecommendationReason {
  /** straight-line metres from the team's nearest available member */
  distanceM: number;
  /** estimated minutes to the scene (see domain/recommend.ts for the speed model) */
  etaMinutes: number;
  /** `specialty`: the team's specialty fits; `skill`: a member has a fitting skill; `none` */
  match: 'specialty' | 'skill' | 'none';
  /** the specialty or skill that matched, null for none */
  matched: Specialty | Skill | null;
  /** members available now with a fresh position */
  available: number;
  /** members the incident's severity calls for */
  needed: number;
  /** assignments the team had in the last hours (load) */
  recentAssignments: number;
}

export interface Recommendation {
  team: string;
  teamName: string;
  subdistrict: string;
  specialty: Specialty;
  /** 1 = best */
  rank: number;
  /** minutes-equivalent, lower is better: the ETA plus penalties for skill, shortfall and load */
  score: number;
  reason: RecommendationReason;
}

// ── Assignments ──────────────────────────────────────────────────────────────────────────────

export type MemberAnswer = 'accepted' | 'declined' | 'no_answer';

export interface AssignmentMember {
  volunteer: string;
  status: VolunteerStatus;
  answer: MemberAnswer | null;
  /** epoch ms */
  answeredAt: number | null;
}

export interface AssignmentView {
  id: string;
  incident: string;
  team: string;
  teamName: string;
  state: AssignmentState;
  /** `user:<name>`, or `system:escalation` for an offer the server made after a timeout */
  dispatchedBy: string;
  offeredAt: number;
  /** the offer escalates when nobody accepted by then */
  answerBy: number;
  acceptedAt: number | null;
  enRouteAt: number | null;
  onSceneAt: number | null;
  endedAt: number | null;
  reason: RecommendationReason | null;
  members: AssignmentMember[];
}

/** What a coordinator sees of one incident. */
export interface DispatchState {
  incident: IncidentView;
  /** changes with every assignment change; `dispatch:assign` must name the one it saw */
  version: number;
  assignments: AssignmentView[];
  recommendations: Recommendation[];
  /** who has this incident open now (`user:<name>`), the asker included */
  watchers: string[];
}

export type DispatchResult = { ok: true; state: DispatchState } | { ok: false; error: ErrorInfo; state?: DispatchState };

/**
 * An offer that ended unanswered: every member declined, or nobody accepted by `answerBy`. The
 * server has already offered the incident to the next recommended team (`next`), or found
 * none left to offer (`next: null`): then a coordinator must act.
 */
export interface DispatchAlert {
  id: string;
  kind: 'declined' | 'timed_out';
  incident: string;
  team: string;
  next: string | null;
  at: number;
}

export interface IncidentRef {
  incident: string;
}
export interface AssignCommand {
  incident: string;
  team: string;
  /** the dispatch version the coordinator saw */
  version: number;
}
export interface AssignmentCommand {
  assignment: string;
  version: number;
}

// ── The volunteer's own page ─────────────────────────────────────────────────────────────────

export const VOLUNTEER_STEPS = ['accept', 'decline', 'en_route', 'on_scene'] as const;
export type VolunteerStep = (typeof VOLUNTEER_STEPS)[number];

export const Shift = Type.Object({ startsAt: Time, endsAt: Time }, { additionalProperties: false });
export type Shift = Static<typeof Shift>;

export const MyAssignment = Type.Object({
  id: Type.String(),
  state: Type.Enum(ASSIGNMENT_STATES),
  answerBy: Time,
  myAnswer: Nullable(Type.Enum(['accepted', 'declined', 'no_answer'])),
  incident: Type.Object({
    id: Type.String(),
    kind: Type.Enum(INCIDENT_KINDS),
    severity: Type.Integer(),
    lon: Type.Number(),
    lat: Type.Number(),
    description: Nullable(Type.String()),
    reportedAt: Time,
  }),
});
export type MyAssignment = Static<typeof MyAssignment>;

export const MyDuty = Type.Object({
  id: Type.String(),
  name: Type.String(),
  team: Type.String(),
  teamName: Type.String(),
  status: Type.Enum(VOLUNTEER_STATUSES),
  statusAt: Time,
  skills: Type.Array(Type.Enum(SKILLS)),
  shifts: Type.Array(Shift),
  /** the assignment this volunteer is on or is offered, if any */
  assignment: Nullable(MyAssignment),
});
export type MyDuty = Static<typeof MyDuty>;

export const DutyChange = Type.Object({ onDuty: Type.Boolean() }, { additionalProperties: false });
export const MyPosition = Type.Object(
  { lon: Lon, lat: Lat, accuracy: Type.Optional(Accuracy) },
  { additionalProperties: false },
);
export const MyStep = Type.Object(
  { assignment: Type.String({ pattern: '^\\d{1,18}$' }), step: Type.Enum(VOLUNTEER_STEPS) },
  { additionalProperties: false },
);

// ── The registry console (coordinators, admins) ──────────────────────────────────────────────

export const TEAM_STATUSES = ['off_duty', 'available', 'assigned', 'en_route', 'on_scene'] as const;
export type TeamStatus = (typeof TEAM_STATUSES)[number];

export const TeamEntry = Type.Object({
  id: Type.String(),
  name: Type.String(),
  subdistrict: Type.String(),
  community: Nullable(Type.String()),
  specialty: Type.Enum(SPECIALTIES),
  /** derived: its active assignment's step, else available when a member is, else off duty */
  status: Type.Enum(TEAM_STATUSES),
  members: Type.Integer(),
  available: Type.Integer(),
});
export type TeamEntry = Static<typeof TeamEntry>;

export const VolunteerEntry = Type.Object({
  id: Type.String(),
  teamId: Type.String(),
  name: Type.String(),
  phone: Nullable(Type.String()),
  deviceId: Nullable(Type.String()),
  community: Nullable(Type.String()),
  skills: Type.Array(Type.Enum(SKILLS)),
  status: Type.Enum(VOLUNTEER_STATUSES),
  statusAt: Time,
  shifts: Type.Array(Shift),
  /** the volunteer's personal page link, when one is active (its address is shown only once) */
  link: Nullable(Type.Object({ id: Type.String(), createdAt: Time })),
});
export type VolunteerEntry = Static<typeof VolunteerEntry>;

export const Registry = Type.Object({ teams: Type.Array(TeamEntry), volunteers: Type.Array(VolunteerEntry) });
export type Registry = Static<typeof Registry>;

export const ShiftsChange = Type.Object(
  { shifts: Type.Array(Shift, { maxItems: 200 }) },
  { additionalProperties: false },
);
export const VolunteerLinkCreated = Type.Object({ url: Type.String(), link: Type.Object({ id: Type.String(), createdAt: Time }) });

export const ImportQuery = Type.Object({ kind: Type.Enum(['teams', 'volunteers']) });

// ── Grid-case escalation (吹哨报到) ─────────────────────────────────────────────────────────

const Department = Type.String({ minLength: 1, maxLength: 100 });
export const WhistleBlow = Type.Object(
  {
    departments: Type.Array(Department, { minItems: 1, maxItems: 20, uniqueItems: true }),
    /** minutes the departments have to report on site; default 30 */
    minutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 24 * 60 })),
  },
  { additionalProperties: false },
);
export type WhistleBlow = Static<typeof WhistleBlow>;
export const WhistleReport = Type.Object({ department: Department }, { additionalProperties: false });
export const CaseIdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) });

// ── Measured response times ──────────────────────────────────────────────────────────────────

export const ResponseTimeRow = Type.Object({
  kind: Type.Enum(INCIDENT_KINDS),
  /** null: the whole district */
  subdistrict: Nullable(Type.String()),
  /** incidents reported in the window */
  incidents: Type.Integer(),
  /** of those, with a team on scene (the others are not in the average) */
  measured: Type.Integer(),
  /** report → first team on scene, seconds; null when none was measured */
  averageSeconds: Nullable(Type.Number()),
  /** report → first assignment offered, seconds */
  averageDispatchSeconds: Nullable(Type.Number()),
  /** the target for this kind, seconds (medical: the plan's 8 minutes) */
  targetSeconds: Type.Integer(),
});
export type ResponseTimeRow = Static<typeof ResponseTimeRow>;
export const ResponseTimes = Type.Object({
  from: Time,
  to: Time,
  rows: Type.Array(ResponseTimeRow),
});
export type ResponseTimes = Static<typeof ResponseTimes>;
export const ResponseTimesQuery = Type.Object({
  days: Type.Optional(Type.String({ pattern: '^[1-9]\\d{0,2}$', description: 'window in days, 1–999, default 30' })),
});

