/**
 * What one screen of the wall shows, read from its address, so that several browsers side by
 * side form one display (each opened with its own link) and nobody has to touch them:
 *
 * - `?layout=full` (default: header, map, side panel) | `map` (the map alone, full screen, with
 *   its legend) | `panel` (the side panel alone, full screen, larger type) | `kpi` (big figures
 *   per subdistrict and for the district);
 * - `?subdistrict=<adcode>` frames the map on that subdistrict and names it on screen; the data
 *   stays district-wide (a scoped wall link is how data is restricted);
 * - `?scale=<0.75..3>` multiplies the type size;
 * - `?playlist=<step>,<step>,…&interval=<seconds>` rotates through steps, each `district`, a
 *   subdistrict's adcode or a layout name, every interval (default 60 s, at least 10 s). A step
 *   changes one thing of the address's own view: `district` and an adcode the framing, a layout
 *   name the layout; so every step's view is known from the address alone;
 * - `?quiet=<minutes>` (1..1440, default 15): how long a live wall may go without a message
 *   before the watchdog asks the server whether it missed something.
 *
 * Pure. A value that does not parse falls back to its default with a warning, never a broken
 * page; `?lang` is read by i18n.
 */
import { SUBDISTRICTS } from '../../geo/names.ts';

export const LAYOUTS = ['full', 'map', 'panel', 'kpi'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** A layout, framed on a subdistrict (its adcode) or on the whole district (null). */
export interface View {
  layout: Layout;
  subdistrict: string | null;
}

export type Step = { kind: 'district' } | { kind: 'subdistrict'; adcode: string } | { kind: 'layout'; layout: Layout };

export interface Screen {
  /** the view of the address itself, which playlist steps vary */
  view: View;
  scale: number;
  /** empty: no rotation */
  steps: Step[];
  intervalMs: number;
  quietMs: number;
}

const SCALE_RANGE = { min: 0.75, max: 3, default: 1 } as const;
const INTERVAL_SECONDS = { min: 10, default: 60 } as const;
const QUIET_MINUTES = { min: 1, max: 24 * 60, default: 15 } as const;

export interface ParsedScreen {
  screen: Screen;
  /** one line per value that was not understood, saying what is used instead */
  warnings: string[];
}

const isLayout = (value: string): value is Layout => (LAYOUTS as readonly string[]).includes(value);
const isAdcode = (value: string): boolean => SUBDISTRICTS.some((s) => s.adcode === value);

export function parseScreen(search: string): ParsedScreen {
  const params = new URLSearchParams(search);
  const warnings: string[] = [];
  const screen: Screen = {
    view: { layout: readLayout(params.get('layout'), warnings), subdistrict: readSubdistrict(params.get('subdistrict'), warnings) },
    scale: readScale(params.get('scale'), warnings),
    steps: readSteps(params.get('playlist'), warnings),
    intervalMs: readInterval(params.get('interval'), warnings) * 1000,
    quietMs: readQuiet(params.get('quiet'), warnings) * 60_000,
  };
  return { screen, warnings };
}

/** The view shown at step `index` of the rotation (the address's own view without a playlist). */
export function viewAt(screen: Screen, index: number): View {
  const step = screen.steps[index];
  if (!step) return screen.view;
  switch (step.kind) {
    case 'district':
      return { ...screen.view, subdistrict: null };
    case 'subdistrict':
      return { ...screen.view, subdistrict: step.adcode };
    case 'layout':
      return { ...screen.view, layout: step.layout };
  }
}

/** The panel alone has the whole screen for what the side panel shows in a third: larger type. */
const LAYOUT_TYPE: Record<Layout, number> = { full: 1, map: 1, panel: 1.4, kpi: 1 };

/** How much larger than the screen's own type size this view's type is. */
export function typeScale(screen: Screen, view: View): number {
  return screen.scale * LAYOUT_TYPE[view.layout];
}

function readLayout(value: string | null, warnings: string[]): Layout {
  if (value === null) return 'full';
  if (isLayout(value)) return value;
  warnings.push(`layout=${value} is not one of ${LAYOUTS.join(', ')}: showing full`);
  return 'full';
}

function readSubdistrict(value: string | null, warnings: string[]): string | null {
  if (value === null) return null;
  if (isAdcode(value)) return value;
  warnings.push(`subdistrict=${value} is not the adcode of a Xicheng subdistrict: showing the district`);
  return null;
}

function readScale(value: string | null, warnings: string[]): number {
  if (value === null) return SCALE_RANGE.default;
  const scale = Number(value);
  if (value.trim() !== '' && scale >= SCALE_RANGE.min && scale <= SCALE_RANGE.max) return scale;
  warnings.push(`scale=${value} is not between ${SCALE_RANGE.min} and ${SCALE_RANGE.max}: using ${SCALE_RANGE.default}`);
  return SCALE_RANGE.default;
}

function readSteps(value: string | null, warnings: string[]): Step[] {
  if (value === null) return [];
  const steps: Step[] = [];
  for (const token of value.split(',').map((t) => t.trim())) {
    if (token === '') continue;
    if (token === 'district') steps.push({ kind: 'district' });
    else if (isAdcode(token)) steps.push({ kind: 'subdistrict', adcode: token });
    else if (isLayout(token)) steps.push({ kind: 'layout', layout: token });
    else warnings.push(`playlist step ${token} is not district, a subdistrict adcode or a layout: skipped`);
  }
  return steps;
}

function readInterval(value: string | null, warnings: string[]): number {
  if (value === null) return INTERVAL_SECONDS.default;
  const seconds = Number(value);
  if (value.trim() === '' || !Number.isFinite(seconds) || seconds <= 0) {
    warnings.push(`interval=${value} is not a number of seconds: using ${INTERVAL_SECONDS.default}`);
    return INTERVAL_SECONDS.default;
  }
  if (seconds < INTERVAL_SECONDS.min) {
    warnings.push(`interval=${value} is below ${INTERVAL_SECONDS.min} s: using ${INTERVAL_SECONDS.min}`);
    return INTERVAL_SECONDS.min;
  }
  return seconds;
}

function readQuiet(value: string | null, warnings: string[]): number {
  if (value === null) return QUIET_MINUTES.default;
  const minutes = Number(value);
  if (value.trim() !== '' && minutes >= QUIET_MINUTES.min && minutes <= QUIET_MINUTES.max) return minutes;
  warnings.push(`quiet=${value} is not between ${QUIET_MINUTES.min} and ${QUIET_MINUTES.max} minutes: using ${QUIET_MINUTES.default}`);
  return QUIET_MINUTES.default;
}
