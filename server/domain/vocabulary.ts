/**
 * The words of the domain (see shared DOMAIN.md): the closed sets of sources, categories,
 * kinds, states and statuses that every layer speaks. Pure constants, no I/O; the client and
 * the simulator import them too, so a new category is added here once.
 */

/** Where a grid case (网格事件) came from. */
export const CASE_SOURCES = ['hotline', 'patrol', 'app', 'video', 'proactive'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

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
