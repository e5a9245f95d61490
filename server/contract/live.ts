/**
 * The live wire contract between the server and every wall: the socket.io event maps and the
 * shapes they carry. The server imports it; the client imports it as types only.
 *
 * Ordering: every state change has a server sequence number (`seq`), and a connection receives
 * them in increasing order. Cases, incidents and unit status changes go out at once, one
 * message each; positions are coalesced into frames covering `fromSeq..toSeq`. A client keeps
 * the highest seq it applied; a message whose first seq is more than one above it reveals a gap
 * and the client asks `live:sync` for what it missed. Views carry their own `seq`, so applying
 * one twice, or an older one after a newer, changes nothing.
 *
 * Privacy: nothing here carries a volunteer's name, phone number or device id.
 *
 * Access: a socket connects only with a session cookie (a signed-in user or a wall link); each
 * command is allowed by role (server/access/rules.ts), and refused with an ack
 * `{ ok: false, error: { code: 'FORBIDDEN' } }` otherwise. A connection refused at the
 * handshake gets a `connect_error` whose message is the error code (`UNAUTHORIZED`,
 * `PASSWORD_CHANGE_REQUIRED`); a session that ends (sign-out, revoked link) is disconnected.
 */
import type {
  AssignCommand,
  AssignmentCommand,
  DispatchAlert,
  DispatchResult,
  IncidentRef,
} from './dispatch.ts';
import type {
  AssignmentState,
  CaseCategory,
  CaseUrgency,
  CaseSource,
  CaseState,
  IncidentKind,
  IncidentState,
  Severity,
  Specialty,
  VolunteerStatus,
} from '../domain/vocabulary.ts';

/** Where a point fell: its subdistrict adcode and grid cell, or `outside` the district. */
export interface Place {
  subdistrict: string | null;
  cell: string | null;
  outside: boolean;
}

/** 吹哨报到: the departments summoned to a case must report on site by `deadlineAt`. */
export interface Whistle {
  blownAt: number;
  deadlineAt: number;
  departments: Array<{ name: string; reportedAt: number | null }>;
}

export interface CaseView extends Place {
  id: string;
  source: CaseSource;
  category: CaseCategory;
  state: CaseState;
  urgency: CaseUrgency;
  lon: number;
  lat: number;
  /** epoch milliseconds */
  reportedAt: number;
  updatedAt: number;
  /** when the case must be resolved by (its category and urgency, domain/clocks.ts) */
  deadlineAt: number;
  /** when it was first resolved, null while it is not */
  resolvedAt: number | null;
  whistle: Whistle | null;
  seq: number;
}

/** A team working on an incident, as a wall may see it. */
export interface IncidentTeam {
  team: string;
  state: AssignmentState;
}

export interface IncidentView extends Place {
  id: string;
  kind: IncidentKind;
  severity: Severity;
  state: IncidentState;
  lon: number;
  lat: number;
  reportedAt: number;
  updatedAt: number;
  /** response clocks, epoch ms: first team offered, first team on scene, closed */
  dispatchedAt: number | null;
  onSceneAt: number | null;
  closedAt: number | null;
  /** teams on it now (offered, accepted, en route, on scene) */
  teams: IncidentTeam[];
  seq: number;
}

/** A volunteer as a wall may see it: an opaque id, the team, never a name. */
export interface UnitView extends Place {
  id: string;
  team: string;
  specialty: Specialty;
  status: VolunteerStatus;
  /** null until the first position arrives */
  lon: number | null;
  lat: number | null;
  /** epoch ms of the last position */
  at: number | null;
  seq: number;
}

/**
 * What raises an alarm: a severity I or II incident not yet contained, a 吹哨报到 whose
 * deadline passed with a department missing, a volunteer on scene whose position stopped
 * coming (server/domain/alarms.ts).
 */
export type AlarmKind = 'severe_incident' | 'whistle_overdue' | 'silent_on_scene';

/**
 * An alarm: `active` until someone acknowledges it (then every screen stops flashing), and
 * `cleared` when its condition ends; a condition that returns raises a new alarm.
 */
export interface AlarmView {
  id: string;
  kind: AlarmKind;
  /** what it is about: an incident id, a case id or a volunteer (unit) id */
  subject: string;
  /** 1 is the most urgent; it sets the sound */
  priority: 1 | 2 | 3;
  state: 'active' | 'acknowledged' | 'cleared';
  /** where it was when raised */
  subdistrict: string | null;
  lon: number | null;
  lat: number | null;
  raisedAt: number;
  acknowledgedAt: number | null;
  /** `user:<name>` */
  acknowledgedBy: string | null;
  clearedAt: number | null;
  seq: number;
}

export type Change =
  | { kind: 'case'; seq: number; created: boolean; value: CaseView }
  | { kind: 'incident'; seq: number; created: boolean; value: IncidentView }
  | { kind: 'unit'; seq: number; created: boolean; value: UnitView }
  | { kind: 'alarm'; seq: number; created: boolean; value: AlarmView };

/** One unit's new position in a frame: id, lon, lat, epoch ms, subdistrict adcode or null. */
export type PackedPosition = [id: string, lon: number, lat: number, at: number, subdistrict: string | null];

/** Something that left a subdistrict-scoped stream: the client drops it. */
export interface Gone {
  kind: 'case' | 'incident' | 'unit' | 'alarm';
  id: string;
}

/**
 * Positions from the batches with seq fromSeq..toSeq, latest per unit. A subdistrict-scoped
 * stream (an account or wall link scoped to one subdistrict) receives only what lies in its
 * subdistrict: its frames also cover the seqs of changes elsewhere (so it sees no gap), carry
 * the whole view of a unit that moved in (`arrived`) and name what moved out or was moved
 * out (`gone`). A district-wide stream never has `arrived` or `gone`.
 */
export interface PositionFrame {
  fromSeq: number;
  toSeq: number;
  units: PackedPosition[];
  arrived?: UnitView[];
  gone?: Gone[];
}

/** A PositionFrame as sent: its units packed into one binary attachment (position-codec.ts). */
export interface WirePositionFrame extends Omit<PositionFrame, 'units'> {
  count: number;
  /** epoch ms the packed times count from */
  baseAt: number;
  /** the subdistricts the packed units name, by index */
  places: string[];
  /** the packed times are epoch ms, not offsets from baseAt */
  wideTimes?: true;
  /** Uint8Array or Buffer as sent; a browser receives an ArrayBuffer */
  positions: Uint8Array | ArrayBuffer;
}

export interface LiveStatus {
  /** true while the simulator feeds the server: the wall shows 模拟数据 */
  simulated: boolean;
  store: 'pglite' | 'postgresql';
  /** false while the store does not answer: nothing new is stored or streamed, feeds get 503 */
  storeAvailable: boolean;
}

export interface Snapshot {
  seq: number;
  /** server time, epoch ms */
  at: number;
  status: LiveStatus;
  cases: CaseView[];
  incidents: IncidentView[];
  units: UnitView[];
  /** alarms not cleared */
  alarms: AlarmView[];
}

export interface ErrorInfo {
  code: string;
  message: string;
}

export type SyncResult =
  | { ok: true; mode: 'snapshot'; snapshot: Snapshot }
  | { ok: true; mode: 'changes'; seq: number; changes: Change[]; units: UnitView[] }
  | { ok: false; error: ErrorInfo };

export interface SyncRequest {
  /** the highest seq the client applied, or null for a fresh snapshot */
  since: number | null;
}

export interface ServerToClientEvents {
  'case:changed': (change: Extract<Change, { kind: 'case' }>) => void;
  'incident:changed': (change: Extract<Change, { kind: 'incident' }>) => void;
  'unit:changed': (change: Extract<Change, { kind: 'unit' }>) => void;
  'alarm:changed': (change: Extract<Change, { kind: 'alarm' }>) => void;
  'position:frame': (frame: WirePositionFrame) => void;
  'live:status': (status: LiveStatus) => void;
  /** to coordinators who have the incident open: its dispatch state changed (reopen to read it) */
  'dispatch:changed': (change: { incident: string; version: number }) => void;
  /** to coordinators who have the incident open: who has it open now */
  'dispatch:watchers': (watchers: { incident: string; watchers: string[] }) => void;
  /** to every coordinator whose scope holds the incident */
  'dispatch:alert': (alert: DispatchAlert) => void;
  /** to a volunteer's own page: something about them changed (read GET /api/v1/me/volunteer) */
  'me:changed': () => void;
}

export interface ClientToServerEvents {
  /** Join the live stream: a snapshot, or the changes since `since` when the store still has them. */
  'live:sync': (request: SyncRequest, ack: (result: SyncResult) => void) => void;
  /** Acknowledge an alarm: it stops flashing on every screen. Answers the alarm as it is now. */
  'alarm:ack': (request: { alarm: string }, ack: (result: { ok: true; alarm: AlarmView } | { ok: false; error: ErrorInfo }) => void) => void;
  /** Open an incident to dispatch: its state, recommendations and watchers; watch it until closed. */
  'dispatch:open': (request: IncidentRef, ack: (result: DispatchResult) => void) => void;
  'dispatch:close': (request: IncidentRef, ack: (result: { ok: true } | { ok: false; error: ErrorInfo }) => void) => void;
  /** Offer the incident to a team; refused when the version moved on or the team is busy. */
  'dispatch:assign': (request: AssignCommand, ack: (result: DispatchResult) => void) => void;
  /** Withdraw an offer or a team (before on scene), or release a team from the scene. */
  'dispatch:cancel': (request: AssignmentCommand, ack: (result: DispatchResult) => void) => void;
  'dispatch:release': (request: AssignmentCommand, ack: (result: DispatchResult) => void) => void;
}

/** More missed changes than this and a resync answers with a fresh snapshot instead. */
export const MAX_SYNC_CHANGES = 5000;
