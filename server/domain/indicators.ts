/**
 * What leaders read, pure: the plan's indicators (targets, which are measured from the data and
 * which a leader enters from surveys), the measures a map of areas can be coloured by, and the
 * arithmetic that turns counts into rates, per-resident figures, coverage and trends. The store
 * counts (store/leaders.ts); this module decides what the counts mean and when a figure cannot
 * be given (no population known, nothing to measure), saying why instead of inventing one.
 *
 * Definitions, where the plan leaves them open:
 * - pre-hospital response (#11): medical incidents reported in the window, report → first team
 *   on scene, averaged over those reached (the unreached are counted apart);
 * - answered on time (#14): cases whose deadline fell in the window, resolved by it;
 * - grid coverage (#15): the area of the grid cells patrolled in the window (a grid-patrol case
 *   reported there, or an on-duty volunteer's position there) over the area of all cells;
 * - online participation (#20): distinct residents who reported through the Xicheng Home app
 *   in the 365 days up to the window's end, over the population;
 * - registered volunteers per resident (#21): volunteers in the registry over the population;
 * - hotline rates (12345): 响应率, cases that left 'reported' within HOTLINE_RESPONSE_HOURS of
 *   their report, over the cases reported in the window that are that old or answered; 解决率
 *   and 满意率 from the call-backs (回访): solved, and satisfied or basically satisfied, over the
 *   cases called back.
 */

/** The district's own adcode, for figures of the whole district. */
export const DISTRICT = '110102';
export const HOTLINE_RESPONSE_HOURS = 2;
export const PARTICIPATION_DAYS = 365;

export type Comparison = '<' | '<=' | '>' | '>=';

export interface Target {
  op: Comparison;
  value: number;
}

export type IndicatorUnit = 'percent' | 'minutes' | 'square_metres' | 'count' | 'ten_thousand_people';

export interface IndicatorSpec {
  key: string;
  /** its number in the plan's table of 24; null for the hotline's rates */
  plan: number | null;
  unit: IndicatorUnit;
  /** null where the plan sets none (the hotline's rates are judged against other districts) */
  target: Target | null;
}

const percentAtLeast = (value: number): Target => ({ op: '>=', value });

/** Measured from the stored data. */
export const LIVE_INDICATORS = [
  { key: 'prehospital_response', plan: 11, unit: 'minutes', target: { op: '<', value: 8 } },
  { key: 'answered_on_time', plan: 14, unit: 'percent', target: percentAtLeast(100) },
  { key: 'grid_coverage', plan: 15, unit: 'percent', target: percentAtLeast(100) },
  { key: 'online_participation', plan: 20, unit: 'percent', target: percentAtLeast(50) },
  { key: 'volunteers_per_resident', plan: 21, unit: 'percent', target: percentAtLeast(22) },
  { key: 'hotline_response', plan: null, unit: 'percent', target: null },
  { key: 'hotline_resolution', plan: null, unit: 'percent', target: null },
  { key: 'hotline_satisfaction', plan: null, unit: 'percent', target: null },
] as const satisfies readonly IndicatorSpec[];
export type LiveIndicatorKey = (typeof LIVE_INDICATORS)[number]['key'];

/** The plan's other indicators: yearly or survey figures a leader enters. */
export const SURVEY_INDICATORS = [
  { key: 'party_committees', plan: 1, unit: 'percent', target: percentAtLeast(100) },
  { key: 'nonpublic_party_coverage', plan: 2, unit: 'percent', target: percentAtLeast(100) },
  { key: 'social_org_party_coverage', plan: 3, unit: 'percent', target: percentAtLeast(100) },
  { key: 'double_report', plan: 4, unit: 'percent', target: percentAtLeast(100) },
  { key: 'culture_space', plan: 5, unit: 'square_metres', target: { op: '>=', value: 1.1 } },
  { key: 'property_service', plan: 6, unit: 'percent', target: percentAtLeast(100) },
  { key: 'social_work_agencies', plan: 7, unit: 'count', target: { op: '>=', value: 37 } },
  { key: 'social_work_stations', plan: 8, unit: 'percent', target: percentAtLeast(100) },
  { key: 'social_workers', plan: 9, unit: 'ten_thousand_people', target: { op: '>=', value: 0.72 } },
  { key: 'community_space', plan: 10, unit: 'percent', target: percentAtLeast(100) },
  { key: 'safety_feeling', plan: 12, unit: 'percent', target: percentAtLeast(97) },
  { key: 'food_safety', plan: 13, unit: 'percent', target: { op: '>', value: 99 } },
  { key: 'safe_subdistricts', plan: 16, unit: 'percent', target: percentAtLeast(80) },
  { key: 'safe_communities', plan: 16, unit: 'percent', target: percentAtLeast(90) },
  { key: 'direct_elections', plan: 17, unit: 'percent', target: percentAtLeast(87) },
  { key: 'local_workers', plan: 18, unit: 'percent', target: percentAtLeast(50) },
  { key: 'consultation', plan: 19, unit: 'percent', target: percentAtLeast(100) },
  { key: 'community_orgs', plan: 22, unit: 'count', target: { op: '>=', value: 15 } },
  { key: 'owner_committees', plan: 23, unit: 'percent', target: percentAtLeast(95) },
  { key: 'green_travel', plan: 24, unit: 'percent', target: percentAtLeast(78) },
] as const satisfies readonly IndicatorSpec[];
export type SurveyIndicatorKey = (typeof SURVEY_INDICATORS)[number]['key'];
export const SURVEY_KEYS: readonly SurveyIndicatorKey[] = SURVEY_INDICATORS.map((s) => s.key);

/** Whether `value` meets `target`; null when either is missing. */
export function meets(value: number | null, target: Target | null): boolean | null {
  if (value === null || target === null) return null;
  switch (target.op) {
    case '<':
      return value < target.value;
    case '<=':
      return value <= target.value;
    case '>':
      return value > target.value;
    case '>=':
      return value >= target.value;
  }
}

/** Why a figure is missing: no population known, nothing happened to measure, or a history no longer kept. */
export type Missing = 'no_population' | 'no_data' | 'not_kept';

export type Figure = { value: number; missing: null } | { value: null; missing: Missing };

export function figure(value: number): Figure {
  return { value, missing: null };
}

export function missing(why: Missing): Figure {
  return { value: null, missing: why };
}

/** `part` of `whole` in percent, one decimal; nothing to measure when `whole` is 0. */
export function percent(part: number, whole: number): Figure {
  return whole === 0 ? missing('no_data') : figure(round1((part / whole) * 100));
}

/** A count per `per` residents (10,000 for the map's measures, 100 for a percentage). */
export function perResidents(count: number, population: number | null, per = 10_000): Figure {
  return population === null ? missing('no_population') : figure(round1((count / population) * per));
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** The measures a map of areas (subdistricts or grid cells) can be coloured by. */
export const AREA_MEASURES = ['cases', 'open', 'overdue', 'incidents', 'severe', 'response', 'on_time', 'on_duty'] as const;
export type AreaMeasure = (typeof AREA_MEASURES)[number];

/** Counts can be shown per 10,000 residents; times and rates cannot. */
export const COUNT_MEASURES: ReadonlySet<AreaMeasure> = new Set(['cases', 'open', 'overdue', 'incidents', 'severe', 'on_duty']);

/** What the store counts for one area over a window [from, to). */
export interface AreaCounts {
  /** cases reported in the window */
  cases: number;
  /** cases not resolved at the window's end, and of those past their deadline */
  open: number;
  overdue: number;
  /** cases due in the window, and of those resolved by their deadline */
  due: number;
  onTime: number;
  /** incidents reported in the window, by severity I..IV */
  incidents: [number, number, number, number];
  /** incidents reported in the window that a team reached, and their mean report → on scene */
  reached: number;
  responseSeconds: number | null;
  /** volunteers on duty at the window's end; null when that moment is past the kept tracks */
  onDuty: number | null;
}

export function emptyCounts(): AreaCounts {
  return { cases: 0, open: 0, overdue: 0, due: 0, onTime: 0, incidents: [0, 0, 0, 0], reached: 0, responseSeconds: null, onDuty: 0 };
}

/** One measure of one area: per 10,000 residents when asked and the measure is a count. */
export function measureOf(counts: AreaCounts, measure: AreaMeasure, perCapita: boolean, population: number | null): Figure {
  const raw = rawMeasure(counts, measure);
  if (!perCapita || !COUNT_MEASURES.has(measure) || raw.value === null) return raw;
  return perResidents(raw.value, population);
}

function rawMeasure(counts: AreaCounts, measure: AreaMeasure): Figure {
  switch (measure) {
    case 'cases':
      return figure(counts.cases);
    case 'open':
      return figure(counts.open);
    case 'overdue':
      return figure(counts.overdue);
    case 'incidents':
      return figure(counts.incidents.reduce((a, b) => a + b, 0));
    case 'severe':
      return figure(counts.incidents[0] + counts.incidents[1]);
    case 'response':
      return counts.responseSeconds === null ? missing('no_data') : figure(round1(counts.responseSeconds / 60));
    case 'on_time':
      return percent(counts.onTime, counts.due);
    case 'on_duty':
      return counts.onDuty === null ? missing('not_kept') : figure(counts.onDuty);
  }
}

/** Sums areas' counts (a subdistrict's cells, or the district's subdistricts). */
export function sumCounts(all: Iterable<AreaCounts>): AreaCounts {
  const total = emptyCounts();
  let reachedSeconds = 0;
  let onDutyKnown = true;
  for (const c of all) {
    total.cases += c.cases;
    total.open += c.open;
    total.overdue += c.overdue;
    total.due += c.due;
    total.onTime += c.onTime;
    const [i1, i2, i3, i4] = total.incidents;
    total.incidents = [i1 + c.incidents[0], i2 + c.incidents[1], i3 + c.incidents[2], i4 + c.incidents[3]];
    total.reached += c.reached;
    reachedSeconds += (c.responseSeconds ?? 0) * c.reached;
    if (c.onDuty === null) onDutyKnown = false;
    else total.onDuty = (total.onDuty ?? 0) + c.onDuty;
  }
  total.responseSeconds = total.reached === 0 ? null : reachedSeconds / total.reached;
  if (!onDutyKnown) total.onDuty = null;
  return total;
}

/**
 * Grid coverage: the share of the grid's area in `patrolled` cells, for the district and each
 * subdistrict. `cells` gives every cell's area and subdistrict.
 */
export function coverage(
  patrolled: Iterable<string>,
  cells: ReadonlyMap<string, { subdistrict: string; areaM2: number }>,
): { district: Figure; bySubdistrict: Map<string, Figure> } {
  const seen = new Set(patrolled);
  const area = new Map<string, { all: number; patrolled: number }>();
  let all = 0;
  let covered = 0;
  for (const [id, cell] of cells) {
    const sum = area.get(cell.subdistrict) ?? { all: 0, patrolled: 0 };
    sum.all += cell.areaM2;
    all += cell.areaM2;
    if (seen.has(id)) {
      sum.patrolled += cell.areaM2;
      covered += cell.areaM2;
    }
    area.set(cell.subdistrict, sum);
  }
  const bySubdistrict = new Map([...area].map(([adcode, sum]) => [adcode, percent(sum.patrolled, sum.all)]));
  return { district: percent(covered, all), bySubdistrict };
}

/** A window cut into `count` equal buckets (the last may end at `to` early); at least one. */
export interface Buckets {
  from: number;
  to: number;
  widthMs: number;
  count: number;
}

export function buckets(from: number, to: number, count: number): Buckets {
  const n = Math.max(1, Math.floor(count));
  return { from, to, widthMs: Math.max(1, Math.ceil((to - from) / n)), count: n };
}

/** Each bucket's start and end, epoch ms. */
export function bucketSpans(b: Buckets): Array<{ from: number; to: number }> {
  return Array.from({ length: b.count }, (_, i) => ({ from: b.from + i * b.widthMs, to: Math.min(b.to, b.from + (i + 1) * b.widthMs) }));
}

/** The hotline's three rates from the counts of its cases. */
export interface HotlineCounts {
  /** cases reported in the window that are past the response time or answered */
  respondable: number;
  respondedOnTime: number;
  calledBack: number;
  solved: number;
  satisfied: number;
}

export function hotlineRates(c: HotlineCounts): { response: Figure; resolution: Figure; satisfaction: Figure } {
  return {
    response: percent(c.respondedOnTime, c.respondable),
    resolution: percent(c.solved, c.calledBack),
    satisfaction: percent(c.satisfied, c.calledBack),
  };
}
