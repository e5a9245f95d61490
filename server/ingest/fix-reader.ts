/**
 * Reads the loose input of phone apps (query strings, form fields, JSON) into one checked fix.
 * Each problem is kept with the path of the field as the app named it, and `done` throws one
 * 400 VALIDATION_FAILED naming all of them. Ranges and their messages come from the contract's
 * schemas, as on /api/v1.
 *
 * Rules every app gets: text numbers are plain decimals (no NaN, Infinity or hex); an empty text
 * value counts as absent, as in Traccar; a negative accuracy, speed, bearing or battery means the
 * phone does not know it (iOS reports -1, so does Traccar Client's JSON) and is left out, not
 * refused; a time is Unix seconds (milliseconds from 2^31 on, as Traccar reads it) or ISO 8601
 * with a zone, and may not lie more than MAX_CLOCK_SKEW_MS in the future.
 */
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import type { PositionReport } from '../contract/ingest.ts';
import { MAX_CLOCK_SKEW_MS } from '../domain/reports.ts';
import { AppError, type ErrorDetail } from '../errors.ts';

/** One position from a phone, before it is attached to a volunteer. */
export interface PhoneFix {
  deviceId: string;
  /** where the request named the device, for the details of an UNKNOWN_DEVICE */
  deviceIdPath: string;
  report: Omit<PositionReport, 'volunteerId' | 'status'>;
}

/** A field as the app sent it: its path (a JSON pointer into the request) and its raw value. */
export type Field = [path: string, raw: unknown];

/** The fields of one object, by name. */
export type Fields = (name: string) => Field;

export function fieldsOf(base: string, record: Record<string, unknown>): Fields {
  return (name) => [`${base}/${name}`, record[name]];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** A time without a zone would be read in the server's zone: refused. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const MILLISECONDS_FROM = 2 ** 31;

/** A reading converted to our units, when there is one. */
export function scaled(value: number | undefined, factor: number): number | undefined {
  return value === undefined ? undefined : value * factor;
}

function absent(raw: unknown): boolean {
  return raw === undefined || raw === null || raw === '';
}

export class FixReader {
  readonly #problems: ErrorDetail[] = [];
  /** text: query and form values, all strings; json: typed JSON values */
  readonly #source: 'text' | 'json';
  readonly #receivedAt: number;

  constructor(source: 'text' | 'json', receivedAt: number) {
    this.#source = source;
    this.#receivedAt = receivedAt;
  }

  /** A nested object; an empty one stands in after a problem (its fields then read as absent). */
  object([path, raw]: Field): Fields {
    if (isRecord(raw)) return fieldsOf(path, raw);
    this.#problem(path || '/', absent(raw) ? 'is required' : 'must be an object');
    return fieldsOf(path, {});
  }

  optionalObject(field: Field): Fields {
    return absent(field[1]) ? fieldsOf(field[0], {}) : this.object(field);
  }

  /** A required string matching `schema`; '' stands in after a problem (`done` then throws). */
  string([path, raw]: Field, schema: TSchema, missing = 'is required'): string {
    if (absent(raw)) return this.#problem(path, missing) ?? '';
    if (typeof raw !== 'string') return this.#problem(path, 'must be a string') ?? '';
    return this.#check(path, raw, schema) ?? '';
  }

  /** A required number in `schema`'s range; NaN stands in after a problem (`done` then throws). */
  required([path, raw]: Field, schema: TSchema): number {
    if (absent(raw)) return this.#problem(path, 'is required') ?? NaN;
    return this.optional([path, raw], schema) ?? NaN;
  }

  optional([path, raw]: Field, schema: TSchema): number | undefined {
    if (absent(raw)) return undefined;
    const value = this.#number(raw);
    if (value === undefined) return this.#problem(path, `must be a number, not ${JSON.stringify(raw)}`);
    return this.#check(path, value, schema);
  }

  /** A measurement where a negative value means unknown. */
  reading([path, raw]: Field, schema: TSchema): number | undefined {
    const value = this.#number(raw);
    return value !== undefined && value < 0 ? undefined : this.optional([path, raw], schema);
  }

  /** An ISO 8601 time, or undefined for "now" when the app sent none. */
  time([path, raw]: Field): string | undefined {
    if (absent(raw)) return undefined;
    const ms = this.#epochMs(raw) ?? (typeof raw === 'string' && ISO_TIME.test(raw) ? Date.parse(raw) : NaN);
    if (!Number.isFinite(ms)) return this.#problem(path, 'must be Unix seconds or an ISO 8601 time with a zone');
    if (ms > this.#receivedAt + MAX_CLOCK_SKEW_MS) {
      return this.#problem(path, `lies more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes in the future`);
    }
    return new Date(ms).toISOString();
  }

  /** The value read, or a 400 naming every problem found. */
  done<T>(value: T): T {
    if (this.#problems.length === 0) return value;
    const summary = this.#problems.map((p) => `${p.path} ${p.message}`).join('; ');
    throw new AppError('VALIDATION_FAILED', this.#problems, `invalid request: ${summary}`);
  }

  #number(raw: unknown): number | undefined {
    if (this.#source === 'json') return typeof raw === 'number' ? raw : undefined;
    const value = typeof raw === 'string' && DECIMAL.test(raw) ? Number(raw) : NaN;
    return Number.isFinite(value) ? value : undefined;
  }

  #epochMs(raw: unknown): number | undefined {
    const value = this.#number(raw);
    if (value === undefined || value < 0) return undefined;
    return value < MILLISECONDS_FROM ? value * 1000 : value;
  }

  #check<T>(path: string, value: T, schema: TSchema): T | undefined {
    const [error] = Value.Errors(schema, value);
    return error ? this.#problem(path, error.message) : value;
  }

  /** Records a problem; returns undefined so a reader can give up in one line. */
  #problem(path: string, message: string): undefined {
    this.#problems.push({ path, message });
    return undefined;
  }
}
