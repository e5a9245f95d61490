/**
 * fast-check arbitraries for fuzzing the ingestion API, derived from the contract's TypeBox
 * schemas read as plain JSON Schema, so a field added to the contract is fuzzed without touching
 * this file:
 * - `validItem`: an item with every field inside its schema;
 * - `fieldMutations`, `unknownProperty`, `notJsonNumber`, `batchMutations`: one change that
 *   makes a batch invalid, each saying which field the refusal must name;
 * - `arbitraryBody`: request bodies that are not batches at all (any JSON, any text, broken
 *   JSON, NaN tokens, deep nesting, prototype keys) with any content type.
 */
import fc from 'fast-check';

export interface FieldSchema {
  type?: string;
  enum?: readonly unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  /** arrays of enum values (a volunteer's skills) */
  items?: FieldSchema;
  maxItems?: number;
  uniqueItems?: boolean;
}

export interface ObjectSchema {
  properties: Record<string, FieldSchema>;
  required?: readonly string[];
}

export type Item = Record<string, unknown>;

/** What a schema cannot say about a field: where valid values come from, or leave it out. */
export type Given = Record<string, fc.Arbitrary<unknown> | 'omit'>;

/** One change to one field of one item. */
export interface FieldChange {
  label: string;
  field: string;
  change: { set: unknown } | { remove: true } | { raw: string };
}

/** A change to the batch as a whole (its `items`, or the object around them). */
export interface BatchChange {
  label: string;
  /** what the refusal must name (in a detail's path or message) */
  names: string;
  apply(items: Item[]): unknown;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LAST_MS_OF_9999 = Date.parse('9999-12-31T23:59:59.999Z');
/** Characters no id pattern of the contract allows. */
const FOREIGN_CHARACTERS = [' ', '中', '\u0000', '"', '\n', '#', '%', '\\', '+', '\u{1F600}'];
/** Keys a JSON parser must not let through (prototype poisoning): covered by arbitraryBody. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Ajv counts string length in code points, not UTF-16 units. */
function codePoints(text: string): number {
  return [...text].length;
}

function lengthWithin(text: string, schema: FieldSchema): boolean {
  const length = codePoints(text);
  return length >= (schema.minLength ?? 0) && length <= (schema.maxLength ?? Infinity);
}

function isFreeText(schema: FieldSchema): boolean {
  return schema.type === 'string' && !schema.enum && !schema.pattern && !schema.format;
}

// ---- valid values -------------------------------------------------------------------------

export function validItem(schema: ObjectSchema, given: Given = {}): fc.Arbitrary<Item> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const override = given[name];
    if (override === 'omit') continue;
    model[name] = override ?? validValue(field);
  }
  const requiredKeys = (schema.required ?? []).filter((name) => name in model);
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Item>;
}

export function validValue(schema: FieldSchema): fc.Arbitrary<unknown> {
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.type === 'integer') return fc.integer({ min: schema.minimum ?? -1e9, max: schema.maximum ?? 1e9 });
  if (schema.type === 'number') {
    return fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true, noDefaultInfinity: true });
  }
  if (schema.type === 'boolean') return fc.boolean();
  if (schema.format === 'date-time') return pastTime();
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => lengthWithin(text, schema));
  if (schema.type === 'string') return text(schema);
  if (schema.type === 'array' && schema.items) {
    const constraints = { maxLength: schema.maxItems ?? 10 };
    return schema.uniqueItems ? fc.uniqueArray(validValue(schema.items), constraints) : fc.array(validValue(schema.items), constraints);
  }
  throw new Error(`no generator for the schema ${JSON.stringify(schema)}`);
}

/**
 * Any text PostgreSQL can store: letters of every script, emoji, controls; not U+0000 nor
 * unpaired surrogates, which mutations use.
 */
function text(schema: FieldSchema): fc.Arbitrary<string> {
  const maxLength = schema.maxLength ?? 200;
  return fc
    .oneof(fc.string({ unit: 'grapheme', maxLength }), fc.string({ unit: 'binary', maxLength }))
    .map((value) => value.replaceAll('\u0000', ''))
    .filter((value) => lengthWithin(value, schema));
}

function loneSurrogate(): fc.Arbitrary<string> {
  return fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));
}

/** A time up to 90 days ago (or far back), written with Z or an offset, as feeds do. */
function pastTime(): fc.Arbitrary<string> {
  const recent = fc.integer({ min: 1_000, max: 90 * DAY }).map((ago) => Date.now() - ago);
  const distant = fc.integer({ min: Date.parse('1900-01-01T00:00:00Z'), max: Date.parse('2000-01-01T00:00:00Z') });
  return fc.tuple(fc.oneof(recent, distant), fc.constantFrom(0, 8 * 60, -5 * 60, 5 * 60 + 45)).map(([ms, offset]) => isoTime(ms, offset));
}

/** `ms` as ISO 8601 in the zone `offsetMinutes` east of UTC. */
function isoTime(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString();
  if (offsetMinutes === 0) return local;
  const sign = offsetMinutes > 0 ? '+' : '-';
  const hours = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const minutes = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${local.slice(0, -1)}${sign}${hours}:${minutes}`;
}

// ---- invalid values -----------------------------------------------------------------------

/** Every way of breaking `field` that its schema allows us to be sure of. */
export function fieldMutations(name: string, schema: FieldSchema, required: boolean): fc.Arbitrary<FieldChange>[] {
  const set = (label: string, values: fc.Arbitrary<unknown>) =>
    values.map((value): FieldChange => ({ label: `${name}: ${label}`, field: name, change: { set: value } }));
  const raw = (label: string, tokens: fc.Arbitrary<string>) =>
    tokens.map((token): FieldChange => ({ label: `${name}: ${label}`, field: name, change: { raw: token } }));
  const mutations = [set('null', fc.constant(null)), set('wrong type', wrongType(schema))];
  if (required) mutations.push(fc.constant<FieldChange>({ label: `${name}: missing`, field: name, change: { remove: true } }));
  if (schema.enum) mutations.push(set('unknown value', fc.string().filter((value) => !schema.enum!.includes(value))));
  if (schema.type === 'number' || schema.type === 'integer') {
    mutations.push(raw('overflowing number', fc.constantFrom('1e999', '-1e999')));
    if (schema.minimum !== undefined) mutations.push(set('below minimum', below(schema.minimum)));
    if (schema.maximum !== undefined) mutations.push(set('above maximum', above(schema.maximum)));
  }
  if (schema.type === 'integer') mutations.push(set('not an integer', validValue(schema).map((value) => (value as number) + 0.5)));
  if (schema.maxLength !== undefined) mutations.push(set('too long', tooLong(schema)));
  if ((schema.minLength ?? 0) > 0) mutations.push(set('empty', fc.constant('')));
  if (schema.pattern) mutations.push(set('outside its pattern', outsidePattern(schema)));
  if (isFreeText(schema)) {
    mutations.push(set('holding U+0000', inserted(schema, fc.constant('\u0000'))), set('holding an unpaired surrogate', inserted(schema, loneSurrogate())));
  }
  if (schema.format === 'date-time') {
    mutations.push(set('unparseable time', unparseableTime()), set('time far in the future', futureTime()));
  }
  return mutations;
}

/** NaN and Infinity are not JSON: a body holding them is refused whole, naming no field. */
export function notJsonNumber(name: string): fc.Arbitrary<FieldChange> {
  return fc
    .constantFrom('NaN', 'Infinity', '-Infinity', '0x10', '+1', '.5', '01')
    .map((token): FieldChange => ({ label: `${name}: ${token} token`, field: name, change: { raw: token } }));
}

function wrongType(schema: FieldSchema): fc.Arbitrary<unknown> {
  const numeric = schema.type === 'number' || schema.type === 'integer';
  const others = [fc.boolean(), fc.array(fc.integer(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 })];
  return numeric
    ? fc.oneof(validValue(schema).map((value) => String(value)), ...others)
    : fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), ...others);
}

/** Strictly below: fast-check counts -0 as below 0, a schema does not. */
export function below(minimum: number): fc.Arbitrary<number> {
  return fc.double({ min: -Number.MAX_VALUE, max: minimum, maxExcluded: true, noNaN: true }).filter((value) => value < minimum);
}

export function above(maximum: number): fc.Arbitrary<number> {
  return fc.double({ min: maximum, max: Number.MAX_VALUE, minExcluded: true, noNaN: true }).filter((value) => value > maximum);
}

function tooLong(schema: FieldSchema): fc.Arbitrary<string> {
  const maxLength = schema.maxLength!;
  const unit = schema.pattern ? fc.constantFrom('a', '1', '_') : fc.constantFrom('a', '中', '\u{1F600}', 'é');
  return fc.string({ unit, minLength: maxLength + 1, maxLength: maxLength + 40 });
}

function outsidePattern(schema: FieldSchema): fc.Arbitrary<string> {
  const pattern = new RegExp(schema.pattern!);
  return fc
    .tuple(validValue(schema) as fc.Arbitrary<string>, fc.constantFrom(...FOREIGN_CHARACTERS), fc.nat())
    .map(([value, foreign, at]) => {
      const cut = at % (value.length + 1);
      return `${value.slice(0, cut)}${foreign}${value.slice(cut)}`;
    })
    .filter((value) => !pattern.test(value));
}

/** Valid text with `character` put in (between two code points, so it stays what it is). */
function inserted(schema: FieldSchema, character: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const shorter = validValue({ ...schema, maxLength: Math.max(0, (schema.maxLength ?? 200) - 1) }) as fc.Arbitrary<string>;
  return fc.tuple(shorter, character, fc.nat()).map(([value, inside, at]) => {
    const points = [...value];
    const cut = at % (points.length + 1);
    return [...points.slice(0, cut), inside, ...points.slice(cut)].join('');
  });
}

/** Times no reader should accept: wrong calendar, wrong clock, no date, no time, or not times. */
function unparseableTime(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(
      'yesterday',
      '',
      '1700000000',
      '2024-13-01T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2024-01-01T25:00:00Z',
      '2024-01-01T00:60:00Z',
      '2016-12-31T23:59:60Z',
      '2024-01-01',
      '2024-01-01T00:00:00+24:00',
      '24-01-01T00:00:00Z',
    ),
    fc.string().filter((value) => !/\d{4}-\d\d-\d\d/.test(value)),
  );
}

/** More than the allowed clock skew (5 minutes) ahead, up to the last ISO 8601 year. */
function futureTime(): fc.Arbitrary<string> {
  return fc.integer({ min: 10 * MINUTE, max: LAST_MS_OF_9999 - Date.now() }).map((ahead) => new Date(Date.now() + ahead).toISOString());
}

/** An item carrying one property its schema does not know. */
export function unknownProperty(schema: ObjectSchema): fc.Arbitrary<FieldChange> {
  return fc
    .tuple(fc.string(), fc.jsonValue())
    .filter(([name]) => !(name in schema.properties) && !PROTOTYPE_KEYS.includes(name))
    .map(([name, value]): FieldChange => ({ label: `unknown property ${JSON.stringify(name)}`, field: name, change: { set: value } }));
}

export function batchMutations(maxItems: number): fc.Arbitrary<BatchChange>[] {
  const change = (label: string, names: string, apply: BatchChange['apply']) => fc.constant<BatchChange>({ label, names, apply });
  return [
    change('empty batch', 'items', () => ({ items: [] })),
    change(`more than ${maxItems} items`, 'items', (items) => ({ items: Array.from({ length: maxItems + 1 }, (_, i) => items[i % items.length]) })),
    change('no items', 'items', () => ({})),
    change('items not an array', 'items', (items) => ({ items: items[0] })),
    // Nothing to name but the body itself, at path /.
    change('a bare array', '/', (items) => items),
    fc
      .string()
      .filter((name) => name !== 'items' && !PROTOTYPE_KEYS.includes(name))
      .map((name): BatchChange => ({ label: `batch with unknown property ${JSON.stringify(name)}`, names: name, apply: (items) => ({ items, [name]: 1 }) })),
  ];
}

// ---- bodies that are not batches ----------------------------------------------------------

export interface RawBody {
  contentType: string | null;
  text: string;
}

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=latin1',
  'application/vnd.api+json',
  'APPLICATION/JSON',
  null,
];

/** Any body with any content type, `sample` giving valid bodies to break. */
export function arbitraryBody(sample: fc.Arbitrary<string>): fc.Arbitrary<RawBody> {
  const contentType = fc.oneof({ weight: 3, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) });
  return fc.record({ contentType, text: fc.oneof(anyText(), brokenJson(sample), deepNesting(), prototypeKeys()) });
}

function anyText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.json(),
    fc.string({ unit: 'binary' }),
    fc.anything().map((value) => JSON.stringify(value) ?? 'undefined'),
    fc.jsonValue().map((value) => JSON.stringify({ items: value })),
    fc.jsonValue().map((value) => JSON.stringify({ items: [value] })),
  );
}

/** A valid body cut short, with a character changed, or with a number replaced by a non-JSON token. */
function brokenJson(sample: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const cut = fc.tuple(sample, fc.nat()).map(([body, at]) => body.slice(0, at % body.length));
  const spliced = fc.tuple(sample, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([body, at, text]) => {
    const where = at % body.length;
    return `${body.slice(0, where)}${text}${body.slice(where + 1)}`;
  });
  const token = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '123456789012345678901234567890', '-0', '1E+2');
  const numbers = fc.tuple(sample, token).map(([body, replacement]) => body.replace(/-?\d+(\.\d+)?([eE][+-]?\d+)?/, replacement));
  return fc.oneof(cut, spliced, numbers);
}

function deepNesting(): fc.Arbitrary<string> {
  return fc.tuple(fc.integer({ min: 100, max: 200_000 }), fc.boolean()).map(([depth, arrays]) =>
    arrays ? `{"items":${'['.repeat(depth)}${']'.repeat(depth)}}` : `{"items":[${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}]}`,
  );
}

function prototypeKeys(): fc.Arbitrary<string> {
  return fc.constantFrom(
    '{"__proto__":{"items":[]}}',
    '{"items":[{"__proto__":{"lon":1}}]}',
    '{"constructor":{"prototype":{"items":[]}}}',
    '{"items":[],"__proto__":{"polluted":true}}',
  );
}
