/**
 * The wall's languages: zh-CN by default, English on `?lang=en` or the switch. Every text on
 * screen comes from a Dictionary; subdistrict names come from geo/names.ts; a server error is
 * told by its code, in words (`errorText`).
 */
import { SUBDISTRICTS, subdistrictName } from '../../geo/names.ts';
import { ApiError } from '../api.ts';
import type { LiveEvent } from '../live/LiveState.ts';
import type { Dictionary, Lang, ShownError } from './dictionary.ts';
import { en } from './en.ts';
import { zhCN } from './zh-CN.ts';

export type { Dictionary, Lang } from './dictionary.ts';

export const DICTIONARIES: Record<Lang, Dictionary> = { zh: zhCN, en };

/** `?lang=en` selects English; anything else, or nothing, Chinese. */
export function langFromSearch(search: string): Lang {
  return new URLSearchParams(search).get('lang') === 'en' ? 'en' : 'zh';
}

export function otherLang(lang: Lang): Lang {
  return lang === 'zh' ? 'en' : 'zh';
}

/** Keeps the language in the page's address, so a reload comes back in it. */
export function rememberLang(lang: Lang): void {
  const url = new URL(window.location.href);
  url.searchParams.set('lang', lang);
  window.history.replaceState(null, '', url);
}

/**
 * What went wrong, in words: the dictionary's text for the error's code; a code it does not
 * know shows the server's own message; schema failures add the fields they name.
 */
export function errorText(error: unknown, dict: Dictionary): string {
  if (!(error instanceof ApiError)) return dict.errors.UNKNOWN;
  if (!Object.hasOwn(dict.errors, error.code)) return `${dict.errors.UNKNOWN} (${error.code}: ${error.message})`;
  const text = dict.errors[error.code as ShownError];
  if (error.code !== 'VALIDATION_FAILED' || error.details.length === 0) return text;
  return `${text} (${error.details.map((d) => `${d.path} ${d.message}`).join('; ')})`;
}

export { SUBDISTRICTS, subdistrictName };

/** One ticker line, e.g. "新案件 · 停车 · 什刹海街道". */
export function tickerText(event: LiveEvent, dict: Dictionary, lang: Lang): string {
  const place = subdistrictName(event.value.subdistrict, lang);
  switch (event.kind) {
    case 'case': {
      const title = event.created ? dict.ticker.newCase : dict.ticker.case[event.value.state];
      return [title, dict.caseCategories[event.value.category], place].join(' · ');
    }
    case 'incident': {
      const title = event.created ? dict.ticker.newIncident : dict.ticker.incident[event.value.state];
      const { kind, severity } = event.value;
      return [title, dict.incidentKinds[kind], dict.severities[severity], place].join(' · ');
    }
    case 'unit':
      return [dict.ticker.unit[event.value.status], dict.specialties[event.value.specialty], place].join(' · ');
  }
}

const BEIJING = 'Asia/Shanghai';

const TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  timeZone: BEIJING,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** HH:MM:SS in Beijing time whatever the machine's zone, the same in both languages. */
export function formatTime(at: number): string {
  return TIME_FORMAT.format(at);
}

/** The full date with weekday in Beijing time, e.g. "2026年1月5日星期一". */
export function formatDate(at: number, dict: Dictionary): string {
  let format = dateFormats.get(dict.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(dict.locale, { timeZone: BEIJING, dateStyle: 'full' });
    dateFormats.set(dict.locale, format);
  }
  return format.format(at);
}

const stampFormats = new Map<string, Intl.DateTimeFormat>();

/** A date and time to the second in Beijing time, for lists and logs. */
export function formatStamp(at: string | number, dict: Dictionary): string {
  let format = stampFormats.get(dict.locale);
  if (!format) {
    format = new Intl.DateTimeFormat(dict.locale, { timeZone: BEIJING, dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23' });
    stampFormats.set(dict.locale, format);
  }
  return format.format(typeof at === 'string' ? Date.parse(at) : at);
}
