/**
 * The wall's colours, one place for map layers, legend and ticker. Okabe–Ito hues, which stay
 * distinct under the common colour-vision deficiencies, on a dark navy ground; shape and size
 * separate the three streams (small dots, large ringed dots, hollow rings) so colour is never
 * the only cue.
 */
import type { CaseState, Severity, VolunteerStatus } from '../server/domain/vocabulary.ts';

export const OKABE_ITO = {
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  bluishGreen: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  reddishPurple: '#CC79A7',
  grey: '#999999',
} as const;

export const GROUND = {
  navy: '#0a1324',
  panel: '#0f1b33',
  line: '#2a3b5c',
  text: '#e8eef8',
  dimText: '#9fb0cc',
  outline: '#f5f7fb',
} as const;

/**
 * Case states still on the map: closed cases are not drawn. Resolved cases wait for their
 * call-back (回访), often overnight, so they are many: grey and drawn small and dim, so the work
 * still open stands out.
 */
export const CASE_STATE_COLOURS: Record<Exclude<CaseState, 'closed'>, string> = {
  reported: OKABE_ITO.yellow,
  dispatched: OKABE_ITO.orange,
  in_progress: OKABE_ITO.skyBlue,
  resolved: OKABE_ITO.grey,
};

export const SEVERITY_COLOURS: Record<Severity, string> = {
  1: OKABE_ITO.vermillion,
  2: OKABE_ITO.orange,
  3: OKABE_ITO.yellow,
  4: OKABE_ITO.skyBlue,
};

/** Off-duty volunteers are not drawn. */
export const VOLUNTEER_STATUS_COLOURS: Record<Exclude<VolunteerStatus, 'off_duty'>, string> = {
  available: OKABE_ITO.bluishGreen,
  assigned: OKABE_ITO.skyBlue,
  en_route: OKABE_ITO.yellow,
  on_scene: OKABE_ITO.reddishPurple,
};

export const OFF_DUTY_COLOUR = OKABE_ITO.grey;
export const CLOSED_COLOUR = OKABE_ITO.grey;

/**
 * The ground and accent colours as CSS custom properties, for the style attribute of a page's
 * root (the wall sets its own with style: directives).
 */
export function groundStyle(): string {
  const vars: Record<string, string> = {
    '--ground': GROUND.navy,
    '--panel': GROUND.panel,
    '--line': GROUND.line,
    '--text': GROUND.text,
    '--dim-text': GROUND.dimText,
    '--amber': OKABE_ITO.orange,
    '--vermillion': OKABE_ITO.vermillion,
    '--green': OKABE_ITO.bluishGreen,
    '--sky': OKABE_ITO.skyBlue,
    '--blue': OKABE_ITO.blue,
  };
  return Object.entries(vars)
    .map(([name, value]) => `${name}: ${value}`)
    .join('; ');
}
