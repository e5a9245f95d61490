/**
 * The leaders' view, pure: which way a measure reads (more is worse, or better), the classes a
 * choropleth colours by, the league table's order, the window a moment and a span make, the
 * drill-down path, and the points of a trend sparkline. No DOM, no map, no fetch.
 *
 * Contract:
 * - `classBreaks(values)` cuts the known values into at most CLASSES classes by quantile; the
 *   edges are increasing and unique, so equal values share a class; none known: no edges.
 *   `classOf(value, edges)` is the class index (0 … edges.length), or null for no value.
 * - A measure's ramp runs from pale (little) to strong (much) when more is worse, and from dim
 *   to bright green when more is better (on time, on duty): the eye goes to what needs a leader.
 * - `sortRows` is stable; missing figures sort last whichever the direction.
 * - `sparkline(values, w, h)` gives an SVG path through the known values, broken where one is
 *   missing; empty when fewer than one is known.
 */
import type { AreaMeasure } from '../../server/domain/indicators.ts';
import type { Areas, FigureBody } from '../../server/contract/leaders.ts';

export type AreaRow = Areas['areas'][number];
export type Level = 'district' | 'subdistrict';

export const CLASSES = 5;

const HOUR_MS = 3_600_000;
/** The windows a leader picks from, ending at the moment shown. */
export const WINDOWS = { day: 24 * HOUR_MS, week: 7 * 24 * HOUR_MS, month: 30 * 24 * HOUR_MS, quarter: 91 * 24 * HOUR_MS, year: 365 * 24 * HOUR_MS } as const;
export type WindowKey = keyof typeof WINDOWS;

/** Measures where a bigger number is good news. */
const MORE_IS_BETTER: ReadonlySet<AreaMeasure> = new Set(['on_time', 'on_duty']);

/** Pale yellow to deep red: counts, open work, response time. */
const WORSE_RAMP = ['#fff3b0', '#fdc35c', '#f4873b', '#d8452b', '#9e1b2d'];
/** Dim teal to bright green: on-time rate, volunteers on duty. */
const BETTER_RAMP = ['#1d3b4a', '#1f5f62', '#1f8a73', '#3fb47c', '#8be08f'];
export const MISSING_COLOUR = '#4a5568';

export function moreIsBetter(measure: AreaMeasure): boolean {
  return MORE_IS_BETTER.has(measure);
}

export function rampOf(measure: AreaMeasure): readonly string[] {
  return moreIsBetter(measure) ? BETTER_RAMP : WORSE_RAMP;
}

/**
 * Upper edges of all classes but the last, from the known values' quantiles; where many areas
 * share a value (most have no overdue case) the quantiles collapse, and the distinct values'
 * quantiles are taken instead, so 0, 2 and 7 still read as three classes.
 */
export function classBreaks(values: ReadonlyArray<number | null>, classes = CLASSES): number[] {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const distinct = [...new Set(known)];
  const byCount = quantileEdges(known, classes);
  return byCount.length + 1 >= Math.min(classes, distinct.length) ? byCount : quantileEdges(distinct, classes);
}

function quantileEdges(sorted: readonly number[], classes: number): number[] {
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  for (let i = 1; i < classes; i++) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((i * sorted.length) / classes))]!;
    if (edge > (edges.at(-1) ?? sorted[0]!)) edges.push(edge);
  }
  return edges;
}

/** The class of a value: how many edges it reaches. */
export function classOf(value: number | null, edges: readonly number[]): number | null {
  if (value === null) return null;
  let index = 0;
  while (index < edges.length && value >= edges[index]!) index++;
  return index;
}

/** The colour a class is drawn in, spreading fewer classes over the whole ramp. */
export function classColour(index: number | null, classCount: number, ramp: readonly string[]): string {
  if (index === null) return MISSING_COLOUR;
  // One class only (every area alike): the palest, so a district of zeros does not glare.
  if (classCount <= 1) return ramp[0]!;
  return ramp[Math.round((index / (classCount - 1)) * (ramp.length - 1))]!;
}

/** One legend line a class: its colour and the values it holds, [low, high). */
export interface LegendClass {
  colour: string;
  low: number;
  high: number | null;
}

export function legendClasses(values: ReadonlyArray<number | null>, measure: AreaMeasure): LegendClass[] {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return [];
  const edges = classBreaks(known);
  const lows = [Math.min(...known), ...edges];
  return lows.map((low, i) => ({ colour: classColour(i, lows.length, rampOf(measure)), low, high: edges[i] ?? null }));
}

/** A figure's number: whole ones grouped, others to one decimal. */
function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

/** The legend of an answer's areas: each class's colour and range. */
export function legendEntries(areas: Areas): Array<{ colour: string; label: string }> {
  const values = areas.areas.map((row) => row.figures[areas.measure].value);
  const integral = values.every((v) => v === null || Number.isInteger(v));
  return legendClasses(values, areas.measure).map((c) => ({ colour: c.colour, label: classLabel(c, integral) }));
}

/** A class's range as a legend says it: whole counts as `2–6` (or `7` alone, `7+` last), others as `2.5–6.1`. */
export function classLabel(c: LegendClass, integral: boolean): string {
  if (c.high === null) return `${formatNumber(c.low)}+`;
  if (!integral) return `${formatNumber(c.low)}–${formatNumber(c.high)}`;
  const top = c.high - 1;
  return top <= c.low ? formatNumber(c.low) : `${formatNumber(c.low)}–${formatNumber(top)}`;
}

export type SortKey = 'name' | AreaMeasure | 'population';

export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** Rows ordered by a measure (missing last) or by name in the language's collation. */
export function sortRows<R extends AreaRow>(rows: readonly R[], sort: Sort, nameOf: (row: R) => string, locale: string): R[] {
  const collator = new Intl.Collator(locale);
  const valueOf = (row: R): number | null => (sort.key === 'name' ? null : sort.key === 'population' ? row.population : row.figures[sort.key].value);
  const sign = sort.descending ? -1 : 1;
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => {
      if (sort.key === 'name') return sign * collator.compare(nameOf(a.row), nameOf(b.row)) || a.index - b.index;
      const va = valueOf(a.row);
      const vb = valueOf(b.row);
      if (va === null || vb === null) return (va === null ? 1 : 0) - (vb === null ? 1 : 0) || a.index - b.index;
      return sign * (va - vb) || a.index - b.index;
    })
    .map(({ row }) => row);
}

/** The figure of each area by key, for the map. */
export function figuresByKey(rows: readonly AreaRow[], measure: AreaMeasure): Map<string, FigureBody> {
  return new Map(rows.map((row) => [row.key, row.figures[measure]]));
}

/** The window of `spanMs` ending at `end`, as the API's query. */
export function windowEndingAt(end: number, spanMs: number): { from: string; to: string } {
  return { from: new Date(end - spanMs).toISOString(), to: new Date(end).toISOString() };
}

/** An SVG path through the known values, broken at the missing ones; y grows downwards. */
export function sparkline(values: ReadonlyArray<number | null>, width: number, height: number): string {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return '';
  const low = Math.min(...known);
  const high = Math.max(...known);
  const span = high - low || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let path = '';
  let pen: 'up' | 'down' = 'up';
  values.forEach((value, i) => {
    if (value === null) {
      pen = 'up';
      return;
    }
    const x = values.length > 1 ? i * step : width / 2;
    const y = height - ((value - low) / span) * height;
    path += `${pen === 'up' ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    pen = 'down';
  });
  return path;
}

/** A figure as shown: its value with one decimal at most and its unit, or why it is missing. */
export function figureText(figure: FigureBody, unit: string, missingText: Record<NonNullable<FigureBody['missing']>, string>): string {
  if (figure.value === null) return missingText[figure.missing ?? 'no_data'];
  const number = formatNumber(figure.value);
  return unit === '' ? number : `${number} ${unit}`;
}

/** The query of an areas table (and of its CSV): a measure over a window, subdistricts or cells. */
export function areasQuery(q: { measure: AreaMeasure; perCapita: boolean; from: string; to: string; level: 'subdistrict' | 'cell'; within: string | null }): string {
  const query = new URLSearchParams({ measure: q.measure, perCapita: q.perCapita ? '1' : '0', from: q.from, to: q.to });
  if (q.level === 'cell') query.set('level', 'cell');
  if (q.within !== null) query.set('within', q.within);
  return query.toString();
}

/** Where a leader has drilled to: the district, one subdistrict, or one cell of it. */
export interface Drill {
  within: string | null;
  cell: string | null;
}

export const DISTRICT_VIEW: Drill = { within: null, cell: null };

/** The subdistrict of a grid cell id (`110102012-038-054`). */
export function cellSubdistrict(cell: string): string {
  return cell.slice(0, 9);
}

/**
 * A pick on the map or the table: a subdistrict opens its cells; a cell is picked (again: let
 * go), and a cell picked on the district's map (zoomed in to cells) opens its subdistrict too.
 */
export function drillInto(drill: Drill, key: string): Drill {
  const isCell = key.includes('-');
  if (drill.within === null) return isCell ? { within: cellSubdistrict(key), cell: key } : { within: key, cell: null };
  return { within: drill.within, cell: drill.cell === key ? null : key };
}

/** Each area's fill: the class of its figure among the areas of the same answer. */
export function areaColours(areas: Areas): Map<string, string> {
  const values = areas.areas.map((row) => row.figures[areas.measure].value);
  const edges = classBreaks(values);
  const ramp = rampOf(areas.measure);
  return new Map(areas.areas.map((row, i) => [row.key, classColour(classOf(values[i]!, edges), edges.length + 1, ramp)]));
}

const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** A moment as a `datetime-local` input shows it, in Beijing time whatever the machine's zone. */
export function beijingInputValue(at: number): string {
  return new Date(at + BEIJING_OFFSET_MS).toISOString().slice(0, 16);
}

/** A `datetime-local` input's value read as Beijing time; null for an empty or bad one. */
export function fromBeijingInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const at = Date.parse(`${value}Z`);
  return Number.isNaN(at) ? null : at - BEIJING_OFFSET_MS;
}
