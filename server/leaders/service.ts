/**
 * The leaders' service: turns the store's counts (store/leaders.ts, store/history.ts) into
 * what the leaders' view shows, with the domain's definitions (domain/indicators.ts): areas by
 * a measure with their league-table figures, the plan's indicators with target, trend and
 * subdistrict breakdown, the heat map's bins, reference figures and survey values (audited),
 * and the time machine's past snapshot and changes.
 */
import type { Areas, Indicators } from '../contract/leaders.ts';
import type { Geo } from '../../geo/index.ts';
import { SUBDISTRICTS } from '../../geo/index.ts';
import {
  AREA_MEASURES,
  DISTRICT,
  LIVE_INDICATORS,
  SURVEY_INDICATORS,
  bucketSpans,
  buckets as bucketsOf,
  coverage,
  emptyCounts,
  figure,
  hotlineRates,
  measureOf,
  meets,
  missing,
  percent,
  perResidents,
  round1,
  sumCounts,
  type AreaCounts,
  type AreaMeasure,
  type Buckets,
  type Figure,
  type LiveIndicatorKey,
} from '../domain/indicators.ts';
import { AppError } from '../errors.ts';
import { audit } from '../store/audit.ts';
import { changesBetween, snapshotAt, type HistoryWindow, type PastChanges, type PastSnapshot } from '../store/history.ts';
import {
  answeredOnTime,
  areaCounts,
  areaReferences,
  heatBins,
  hotline,
  medicalResponse,
  onDutyKnown,
  participants,
  patrolledCells,
  registeredVolunteers,
  saveReferences,
  saveSurveyValues,
  surveyValues,
  type AreaLevel,
  type AreaReference,
  type Grouped,
  type ReferenceInput,
  type SurveyValue,
} from '../store/leaders.ts';
import type { Store } from '../store/store.ts';
import { REFERENCE_AREAS } from './population-csv.ts';

const DAY_MS = 86_400_000;
/** The default window: the last 30 days. */
const DEFAULT_WINDOW_MS = 30 * DAY_MS;
/** Aggregations span at most about a year and a month. */
const MAX_WINDOW_MS = 400 * DAY_MS;
/** The time machine reads at most this span of changes, and this many, at a time. */
const MAX_REPLAY_SPAN_MS = 60 * 60_000;
const REPLAY_LIMIT = 20_000;

export interface LeadersOptions {
  lostMs: number;
  retentionDays: number;
  now?: () => number;
}

export interface Window {
  from: Date;
  to: Date;
}

export class LeadersService {
  readonly #store: Store;
  readonly #geo: Geo;
  readonly #options: LeadersOptions;
  readonly #now: () => number;
  /** every grid cell's subdistrict and area, for coverage */
  readonly #cells: Map<string, { subdistrict: string; areaM2: number }>;

  constructor(store: Store, geo: Geo, options: LeadersOptions) {
    this.#store = store;
    this.#geo = geo;
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#cells = new Map(geo.grid.features.map((f) => [f.properties.id, { subdistrict: f.properties.subdistrict, areaM2: f.properties.areaM2 }]));
  }

  /** The window asked for, the last 30 days by default; a bad one is a 400 naming it. */
  window(from: string | undefined, to: string | undefined, maxMs = MAX_WINDOW_MS): Window {
    const end = to === undefined ? this.#now() : Date.parse(to);
    const start = from === undefined ? end - DEFAULT_WINDOW_MS : Date.parse(from);
    if (!(start < end)) throw new AppError('VALIDATION_FAILED', [{ path: '/from', message: '`from` must come before `to`' }]);
    if (end - start > maxMs) {
      throw new AppError('VALIDATION_FAILED', [{ path: '/from', message: `the window may span at most ${Math.round(maxMs / 60_000)} minutes` }]);
    }
    return { from: new Date(start), to: new Date(end) };
  }

  async areas(window: Window, level: AreaLevel, within: string | null, measure: AreaMeasure, perCapita: boolean): Promise<Areas> {
    const q = this.#store.pool;
    const areaWindow = { ...window, level, within, lostMs: this.#options.lostMs, keptSince: this.#keptSince() };
    const [counts, references] = await Promise.all([areaCounts(q, areaWindow), this.#populations()]);
    const keys = level === 'subdistrict' ? SUBDISTRICTS.map((s) => s.adcode).filter((a) => within === null || a === within) : this.#cellsOf(within);
    // Areas with nothing counted have zeros, and as many on duty as are known (none, or not kept).
    const none = { ...emptyCounts(), onDuty: onDutyKnown(areaWindow) ? 0 : null };
    const row = (key: string, subdistrict: string, population: number | null, c: AreaCounts) => ({
      key,
      subdistrict,
      population,
      counts: c,
      figures: Object.fromEntries(AREA_MEASURES.map((m) => [m, measureOf(c, m, perCapita, population)])) as Record<AreaMeasure, Figure>,
    });
    const areas = keys.map((key) => {
      const subdistrict = level === 'subdistrict' ? key : this.#cells.get(key)!.subdistrict;
      return row(key, subdistrict, level === 'subdistrict' ? (references.get(key) ?? null) : null, counts.get(key) ?? none);
    });
    const totalKey = within ?? DISTRICT;
    const total = row(totalKey, totalKey, references.get(totalKey) ?? null, sumCounts(areas.map((a) => a.counts)));
    return { from: window.from.getTime(), to: window.to.getTime(), level, within, measure, perCapita, areas, total };
  }

  async indicators(window: Window, bucketCount: number): Promise<Indicators> {
    const q = this.#store.pool;
    const b = bucketsOf(window.from.getTime(), window.to.getTime(), bucketCount);
    const [medical, onTime, calls, people, patrolled, registered, populations, survey] = await Promise.all([
      medicalResponse(q, b),
      answeredOnTime(q, b),
      hotline(q, b),
      participants(q, b),
      patrolledCells(q, b),
      registeredVolunteers(q),
      this.#populations(),
      surveyValues(q),
    ]);
    const population = (adcode: string) => populations.get(adcode) ?? null;
    const rates = mapGrouped(calls, hotlineRates);
    const computed: Record<LiveIndicatorKey, Grouped<Figure> & { trendless?: true }> = {
      prehospital_response: mapGrouped(medical, (m) => (m.seconds === null ? missing('no_data') : figure(round1(m.seconds / 60)))),
      answered_on_time: mapGrouped(onTime, (c) => percent(c.onTime, c.due)),
      grid_coverage: this.#coverage(patrolled, b),
      online_participation: {
        district: perResidents(people.district, population(DISTRICT), 100),
        bySubdistrict: new Map([...people.bySubdistrict].map(([adcode, n]) => [adcode, perResidents(n, population(adcode), 100)])),
        byBucket: new Map([...people.byBucket].map(([bucket, n]) => [bucket, perResidents(n, population(DISTRICT), 100)])),
      },
      volunteers_per_resident: {
        district: perResidents([...registered.values()].reduce((a, n) => a + n, 0), population(DISTRICT), 100),
        bySubdistrict: new Map([...registered].map(([adcode, n]) => [adcode, perResidents(n, population(adcode), 100)])),
        // The registry keeps no history of when volunteers joined: no trend.
        byBucket: new Map(),
        trendless: true,
      },
      hotline_response: mapGrouped(rates, (r) => r.response),
      hotline_resolution: mapGrouped(rates, (r) => r.resolution),
      hotline_satisfaction: mapGrouped(rates, (r) => r.satisfaction),
    };
    const spans = bucketSpans(b);
    const live = LIVE_INDICATORS.map((spec) => {
      const values = computed[spec.key];
      const bySubdistrict = Object.fromEntries(
        SUBDISTRICTS.map((s) => [s.adcode, values.bySubdistrict.get(s.adcode) ?? emptyFigureOf(spec.key, population(s.adcode))]),
      );
      const trend = values.trendless ? [] : spans.map((_, i) => values.byBucket.get(i) ?? emptyFigureOf(spec.key, population(DISTRICT)));
      return { ...spec, district: values.district, meets: meets(values.district.value, spec.target), bySubdistrict, trend };
    });
    return {
      from: b.from,
      to: b.to,
      buckets: spans,
      live,
      survey: SURVEY_INDICATORS.map((spec) => surveyIndicator(spec, survey)),
    };
  }

  /** Grid coverage of the window, per subdistrict, and of each bucket. */
  #coverage(patrolled: Array<{ bucket: number; cell: string }>, b: Buckets): Grouped<Figure> {
    const whole = coverage(patrolled.map((p) => p.cell), this.#cells);
    const byBucket = new Map<number, Figure>();
    for (let i = 0; i < b.count; i++) byBucket.set(i, coverage(patrolled.filter((p) => p.bucket === i).map((p) => p.cell), this.#cells).district);
    return { district: whole.district, bySubdistrict: whole.bySubdistrict, byBucket };
  }

  heat(window: Window, layer: 'cases' | 'incidents'): Promise<Array<[number, number, number]>> {
    return heatBins(this.#store.pool, layer, window.from, window.to);
  }

  references(): Promise<AreaReference[]> {
    return areaReferences(this.#store.pool);
  }

  async saveReferences(rows: ReferenceInput[], actor: string, onlyMissing = false): Promise<void> {
    await this.#store.transaction(async (tx) => {
      await saveReferences(tx, rows, actor, onlyMissing);
      if (!onlyMissing) await audit(tx, actor, 'reference.saved', null, { adcodes: rows.map((r) => r.adcode) });
    });
  }

  async saveSurvey(values: Array<Pick<SurveyValue, 'indicator' | 'adcode' | 'period' | 'value'>>, actor: string): Promise<void> {
    // What the schema cannot say: an area that exists, a month of the year.
    const problems = values.flatMap((v, i) => [
      ...(REFERENCE_AREAS.has(v.adcode) ? [] : [{ path: `/items/${i}/adcode`, message: `"${v.adcode}" is not the district or one of its subdistricts` }]),
      ...(/-\d{2}$/.test(v.period) && !/-(0[1-9]|1[0-2])$/.test(v.period) ? [{ path: `/items/${i}/period`, message: `"${v.period}" names no month` }] : []),
    ]);
    if (problems.length > 0) throw new AppError('VALIDATION_FAILED', problems);
    await this.#store.transaction(async (tx) => {
      await saveSurveyValues(tx, values, actor);
      await audit(tx, actor, 'survey.entered', null, { items: values.length, indicators: [...new Set(values.map((v) => v.indicator))] });
    });
  }

  snapshot(at: Date): Promise<PastSnapshot> {
    return snapshotAt(this.#store.pool, at, this.#history());
  }

  changes(from: string, to: string): Promise<PastChanges> {
    const span = this.window(from, to, MAX_REPLAY_SPAN_MS);
    return changesBetween(this.#store.pool, span.from, span.to, REPLAY_LIMIT, this.#history());
  }

  #history(): HistoryWindow {
    return { lostMs: this.#options.lostMs, keptSince: this.#keptSince() };
  }

  #keptSince(): Date {
    return new Date(this.#now() - this.#options.retentionDays * DAY_MS);
  }

  async #populations(): Promise<Map<string, number>> {
    const rows = await areaReferences(this.#store.pool);
    return new Map(rows.flatMap((r) => (r.population === null ? [] : [[r.adcode, r.population] as const])));
  }

  #cellsOf(within: string | null): string[] {
    return [...this.#cells].filter(([, cell]) => within === null || cell.subdistrict === within).map(([id]) => id);
  }
}

function mapGrouped<A, B>(g: Grouped<A>, f: (a: A) => B): Grouped<B> {
  return {
    district: f(g.district),
    bySubdistrict: new Map([...g.bySubdistrict].map(([k, v]) => [k, f(v)])),
    byBucket: new Map([...g.byBucket].map(([k, v]) => [k, f(v)])),
  };
}

/** An area or bucket where nothing was counted: a measured zero where the measure is a share of residents, else nothing to measure. */
function emptyFigureOf(key: LiveIndicatorKey, population: number | null): Figure {
  if (key === 'online_participation' || key === 'volunteers_per_resident') return perResidents(0, population, 100);
  if (key === 'grid_coverage') return figure(0);
  return missing('no_data');
}

function surveyIndicator(spec: (typeof SURVEY_INDICATORS)[number], all: SurveyValue[]) {
  const values = all.filter((v) => v.indicator === spec.key) as Array<SurveyValue & { indicator: typeof spec.key }>;
  const district = values.filter((v) => v.adcode === DISTRICT).sort((a, b) => periodOrder(a.period).localeCompare(periodOrder(b.period))).at(-1);
  return {
    ...spec,
    latest: district ? { period: district.period, value: district.value, meets: meets(district.value, spec.target) } : null,
    values,
  };
}

/**
 * A period's place in time, as a sortable string: by the month it ends with (a year's is
 * December, a quarter's its third month), and of periods ending together the year last, then
 * the quarter: the longer period sums up the shorter ones.
 */
function periodOrder(period: string): string {
  const [year, part] = period.split('-');
  if (part === undefined) return `${year}-12-2`;
  if (part.startsWith('Q')) return `${year}-${String(Number(part.slice(1)) * 3).padStart(2, '0')}-1`;
  return `${year}-${part}-0`;
}
