/**
 * The words of the domain (see shared DOMAIN.md): the closed sets of sources, categories,
 * kinds, states and statuses that every layer speaks. Pure constants, no I/O; the client and
 * the simulator import them too, so a new category is added here once.
 */

/** Where a grid case (网格事件) came from. */
export const CASE_SOURCES = ['hotline', 'patrol', 'app', 'video', 'proactive'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** A hotline call-back's answer (回访满意度). */
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** Case categories named by the district plan. */
export const CASE_CATEGORIES = [
  'parking',
  'dogs',
  'garbage_sorting',
  'illegal_construction',
  'sanitation',
  'back_alley',
  'property',
  'noise',
  'road_facility',
  'public_order',
] as const;
export type CaseCategory = (typeof CASE_CATEGORIES)[number];

/** 受理 → 派遣 → 处置 → 办结 → 回访结案 */
export const CASE_STATES = ['reported', 'dispatched', 'in_progress', 'resolved', 'closed'] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const INCIDENT_KINDS = [
  'fire',
  'traffic',
  'medical',
  'crowding',
  'gas_leak',
  'waterlogging',
  'snow_ice',
  'earthquake',
  'public_health',
  'public_order',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Severity I (特别重大) … IV (一般); 1 is the most severe. */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

export const INCIDENT_STATES = ['reported', 'confirmed', 'responding', 'contained', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const VOLUNTEER_STATUSES = ['off_duty', 'available', 'assigned', 'en_route', 'on_scene'] as const;
export type VolunteerStatus = (typeof VOLUNTEER_STATUSES)[number];

/** Team specialties: the plan's four professional kinds plus neighbourhood patrol (群防群治). */
export const SPECIALTIES = ['public_health', 'fire', 'earthquake', 'rain_snow', 'patrol'] as const;
export type Specialty = (typeof SPECIALTIES)[number];

/**
 * A volunteer's skills: the specialties (a member of a fire team has `fire`) and what single
 * people bring (first aid, search and rescue …). Recommendation matches incidents against them.
 */
export const SKILLS = [
  ...SPECIALTIES,
  'first_aid',
  'search_rescue',
  'psychological_aid',
  'driving',
  'interpreting',
] as const;
export type Skill = (typeof SKILLS)[number];

/** How urgent a grid case is: it sets the deadline (domain/clocks.ts). */
export const CASE_URGENCIES = ['normal', 'urgent'] as const;
export type CaseUrgency = (typeof CASE_URGENCIES)[number];

/**
 * A team's assignment to an incident: offered to its available members → accepted by one →
 * en route → on scene → released; or it ends unanswered (declined by all, timed out) or is
 * cancelled by a coordinator (domain/dispatch.ts).
 */
export const ASSIGNMENT_STATES = [
  'offered',
  'accepted',
  'en_route',
  'on_scene',
  'released',
  'declined',
  'timed_out',
  'cancelled',
] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];
export const ACTIVE_ASSIGNMENT_STATES = ['offered', 'accepted', 'en_route', 'on_scene'] as const satisfies readonly AssignmentState[];
