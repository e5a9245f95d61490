/**
 * Property-based fuzzing of every ingestion endpoint on a real server (PGlite), with a fixed
 * seed (FUZZ_SEED to change it, FUZZ_RUNS for the runs per endpoint and family):
 * (a) bodies that are not batches at all, with any content type;
 * (b) valid requests, and valid requests with one thing broken (a field of one item, or the
 *     batch around them).
 * Properties: never a 5xx; every refusal is a coded error body whose status matches its code,
 * naming a path when it is a validation failure; a refusal writes nothing (the one exception:
 * an unknown device is counted, by design); a broken request is refused naming what was broken,
 * and a valid one is accepted. Afterwards the server still answers /healthz and takes a batch.
 *
 * Endpoints are listed in ROUTES (family a) and in BATCH_ENDPOINTS / PHONE_ENDPOINTS (family b):
 * one line each.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Accuracy,
  Altitude,
  Battery,
  Bearing,
  CaseReport,
  IncidentReport,
  Lat,
  Lon,
  MAX_BATCH_ITEMS,
  PositionReport,
  Speed,
  TeamRecord,
  VolunteerRecord,
} from '../../server/contract/ingest.ts';
import { ERRORS, type ErrorCode } from '../../server/errors.ts';
import {
  above,
  arbitraryBody,
  below,
  batchMutations,
  fieldMutations,
  notJsonNumber,
  unknownProperty,
  validItem,
  type BatchChange,
  type FieldChange,
  type FieldSchema,
  type Given,
  type Item,
  type ObjectSchema,
  type RawBody,
} from '../support/arbitraries.ts';
import { hotlineCase, teams, volunteers } from '../support/fixtures.ts';
import { createTestStore, post, startServer, type TestServer } from '../support/server.ts';
import { written, type Written } from '../support/written.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** Phones registered to volunteers before the run (OwnTracks ids are `user/device`). */
const TRACCAR_DEVICE = 'traccar-4711';
const OWNTRACKS_USER = 'alice';
const OWNTRACKS_DEVICE = 'pixel';
const PHONE_VOLUNTEERS = [
  { id: 'V-PHONE-1', teamId: 'T012-1', name: '手机甲', deviceId: TRACCAR_DEVICE },
  { id: 'V-PHONE-2', teamId: 'T018-1', name: '手机乙', deviceId: `${OWNTRACKS_USER}/${OWNTRACKS_DEVICE}` },
];
const REGISTERED_TEAMS = teams().map((team) => team.id);
const REGISTERED_VOLUNTEERS = volunteers().map((volunteer) => volunteer.id);

interface Request {
  method: 'GET' | 'POST';
  /** path and query */
  url: string;
  headers?: Record<string, string>;
  contentType?: string | null;
  body?: string;
}

interface Answer {
  status: number;
  body: any;
}

let server: TestServer;
/** Numbers each request, so ids that must be new are new. */
let requestNumber = 0;

async function exchange(request: Request): Promise<Answer> {
  const headers: Record<string, string> = { authorization: `Bearer ${server.token}`, ...request.headers };
  if (request.contentType) headers['content-type'] = request.contentType;
  // Bytes rather than a string: fetch would otherwise add a text/plain content type of its own.
  const body = request.body === undefined ? undefined : new TextEncoder().encode(request.body);
  const response = await fetch(`${server.url}${request.url}`, { method: request.method, headers, body });
  const text = await response.text();
  return { status: response.status, body: text.length > 0 ? JSON.parse(text) : null };
}

/** Sends `request` and checks what holds for every answer: no 5xx, and a refusal is coded and writes nothing. */
async function send(request: Request): Promise<Answer> {
  // The server's clocks write on their own (an alarm for a severe incident an earlier batch
  // brought): let them catch up first, so what changes below is the request's doing.
  await server.app.alarms.tick();
  await server.app.dispatch.tick();
  const before = await written(server.app);
  const answer = await exchange(request);
  const after = await written(server.app);
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(500);
  if (answer.status >= 400) expectCodedRefusal(answer, before, after);
  return answer;
}

function expectCodedRefusal(answer: Answer, before: Written, after: Written): void {
  const { code, message, details } = answer.body as { code: ErrorCode; message: string; details: Array<{ path: string; message: string }> };
  expect(Object.keys(ERRORS)).toContain(code);
  expect(answer.body).toMatchObject({ statusCode: answer.status, error: code });
  expect(ERRORS[code].status).toBe(answer.status);
  expect(message).toMatch(/\S/);
  for (const detail of details) {
    expect(detail.path).toMatch(/^\//);
    expect(detail.message).toMatch(/\S/);
  }
  if (code === 'VALIDATION_FAILED' && details.length > 0) expect(message).toContain(details[0]!.path);
  expect(withoutDeviceCount(after, code)).toEqual(withoutDeviceCount(before, code));
}

/** An unknown device is refused but counted (for an admin to register it): that write is meant. */
function withoutDeviceCount(state: Written, code: ErrorCode): Written {
  if (code !== 'UNKNOWN_DEVICE') return state;
  const { unknown_devices: _counted, ...tables } = state.tables;
  return { ...state, tables };
}

function expectAccepted(answer: Answer, label: string): void {
  expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
}

/** The refusal names `name` in a detail at or under `scope` (a field is missing at its parent's path). */
function expectNamed(answer: Answer, label: string, scope: string, name: string): void {
  expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBeGreaterThanOrEqual(400);
  const details = (answer.body.details ?? []) as Array<{ path: string; message: string }>;
  const named = details.some((d) => d.path.startsWith(scope) && `${d.path} ${d.message}`.includes(name));
  expect(named, `${label}: ${name} not named under ${scope} in ${JSON.stringify(details)}`).toBe(true);
}

function check<T>(arbitrary: fc.Arbitrary<T>, property: (value: T) => Promise<void>, numRuns = RUNS): Promise<void> {
  return fc.assert(fc.asyncProperty(arbitrary, property), { seed: SEED, numRuns });
}

// ---- family (b), batches: valid items and one thing broken ----------------------------------

interface BatchEndpoint {
  url: string;
  item: ObjectSchema;
  /** fields whose values come from the test's registry, or are left out */
  given?: Given;
  /** fields made unique per request and item (a new record each time, so every move is legal) */
  fresh?: string[];
  /** refusals the schema cannot foresee, such as an unregistered volunteer */
  semantic?: fc.Arbitrary<FieldChange>[];
}

const BATCH_ENDPOINTS: BatchEndpoint[] = [
  // A call-back is valid only on a resolved or closed case (a lifecycle rule, as a status is for positions).
  { url: '/api/v1/cases', item: CaseReport, given: { callback: 'omit' }, fresh: ['sourceId'] },
  { url: '/api/v1/incidents', item: IncidentReport, fresh: ['sourceId'] },
  // A status must be a legal move from the volunteer's current one: left out of valid items.
  { url: '/api/v1/positions', item: PositionReport, given: { volunteerId: fc.constantFrom(...REGISTERED_VOLUNTEERS), status: 'omit' }, semantic: [unregistered('volunteerId')] },
  { url: '/api/v1/teams', item: TeamRecord },
  { url: '/api/v1/volunteers', item: VolunteerRecord, given: { teamId: fc.constantFrom(...REGISTERED_TEAMS) }, fresh: ['deviceId'], semantic: [unregistered('teamId')] },
];

function unregistered(field: string): fc.Arbitrary<FieldChange> {
  return fc.stringMatching(/^[A-Za-z0-9]{1,20}$/).map((id): FieldChange => ({ label: `${field}: unregistered`, field, change: { set: `unregistered-${id}` } }));
}

interface BatchCase {
  items: Item[];
  broken: { target: number; change: FieldChange } | { batch: BatchChange } | null;
}

function batchCases(endpoint: BatchEndpoint): fc.Arbitrary<BatchCase> {
  const { properties, required = [] } = endpoint.item;
  const fieldChanges = [
    ...Object.entries(properties).flatMap(([name, schema]) => fieldMutations(name, schema, required.includes(name))),
    ...Object.entries(properties).filter(([, schema]) => isNumeric(schema)).map(([name]) => notJsonNumber(name)),
    unknownProperty(endpoint.item),
    ...(endpoint.semantic ?? []),
  ];
  // A feed may repeat an item within a batch (a retry): that changes nothing and is no error.
  const items = fc
    .tuple(fc.array(validItem(endpoint.item, endpoint.given), { minLength: 1, maxLength: 6 }), fc.boolean())
    .map(([items, repeated]) => (repeated ? [...items, items[0]!] : items));
  const broken = fc.oneof(
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 4, arbitrary: fc.record({ target: fc.nat(), change: fc.oneof(...fieldChanges) }) },
    { weight: 1, arbitrary: fc.record({ batch: fc.oneof(...batchMutations(MAX_BATCH_ITEMS)) }) },
  );
  return fc.record({ items, broken }).map(({ items, broken }) =>
    broken && 'target' in broken ? { items, broken: { ...broken, target: broken.target % items.length } } : { items, broken },
  );
}

function isNumeric(schema: FieldSchema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

/** A unique prefix keeps a value's pattern and length: `f<request>.<item>-` and the value's tail. */
function freshen(item: Item, index: number, endpoint: BatchEndpoint): Item {
  const copy = { ...item };
  for (const field of endpoint.fresh ?? []) {
    const value = copy[field];
    if (typeof value !== 'string') continue;
    const prefix = `f${requestNumber}.${index}-`;
    const room = (endpoint.item.properties[field]!.maxLength ?? 128) - prefix.length;
    copy[field] = `${prefix}${value.slice(-room)}`;
  }
  return copy;
}

const RAW = 'RAW-TOKEN-PLACEHOLDER';

function withChange(item: Item, { field, change }: FieldChange): Item {
  const copy = { ...item };
  if ('remove' in change) delete copy[field];
  else copy[field] = 'raw' in change ? RAW : change.set;
  return copy;
}

function batchBody(testCase: BatchCase, endpoint: BatchEndpoint): string {
  const items = testCase.items.map((item, i) => freshen(item, i, endpoint));
  const { broken } = testCase;
  if (broken === null) return JSON.stringify({ items });
  if ('batch' in broken) return JSON.stringify(broken.batch.apply(items));
  items[broken.target] = withChange(items[broken.target]!, broken.change);
  const text = JSON.stringify({ items });
  return 'raw' in broken.change.change ? text.replace(`"${RAW}"`, broken.change.change.raw) : text;
}

async function batchProperty(endpoint: BatchEndpoint, testCase: BatchCase): Promise<void> {
  requestNumber++;
  const body = batchBody(testCase, endpoint);
  const answer = await send({ method: 'POST', url: endpoint.url, contentType: 'application/json', body });
  const { broken } = testCase;
  if (broken === null) {
    expectAccepted(answer, 'a valid batch');
    expect(answer.body.accepted).toBe(testCase.items.length);
  } else if ('batch' in broken) {
    expectNamed(answer, broken.batch.label, '/', broken.batch.names);
  } else if ('raw' in broken.change.change && !/^-?1e999$/.test(broken.change.change.raw)) {
    // Not JSON at all: refused as a whole, before any field is read.
    expect(answer.status, broken.change.label).toBe(400);
  } else {
    expectNamed(answer, broken.change.label, `/items/${broken.target}`, broken.change.field);
  }
}

// ---- family (b), phones: one position per request in the apps' own formats ------------------

/** A field of a phone protocol at its path (a JSON pointer, or /headers/…): values its reader takes and values it must refuse. */
interface PhoneField {
  path: string;
  valid: fc.Arbitrary<unknown>;
  invalid: fc.Arbitrary<unknown>;
  /** an absent value is refused (otherwise it is one of the valid ones) */
  required: boolean;
}

interface PhoneEndpoint {
  name: string;
  fields: PhoneField[];
  build(values: Map<string, unknown>): Request;
  /** what a 2xx says */
  acceptedBody: object;
}

const ABSENT = Symbol('absent');
type Wire = 'text' | 'json';

/** Numbers as a phone sends them: decimal text, or JSON numbers. */
function encoded(wire: Wire, value: fc.Arbitrary<number>): fc.Arbitrary<unknown> {
  return wire === 'text' ? value.map((n) => String(n)) : value;
}

function notNumbers(wire: Wire): fc.Arbitrary<unknown> {
  return wire === 'text'
    ? fc.constantFrom('abc', 'NaN', 'Infinity', '-Infinity', '0x10', '1e999', '1,5', ' 1', '--1', '1.2.3')
    : fc.oneof(fc.constantFrom('12.5', 'abc'), fc.boolean(), fc.constant([1]), fc.constant({}));
}

/**
 * A measured value from a contract schema. `unknownBelowZero`: a negative value means the phone
 * does not know it (iOS sends -1) and is taken as absent.
 */
function measured(path: string, schema: FieldSchema, wire: Wire, { required = false, unknownBelowZero = false } = {}): PhoneField {
  const inRange = fc.double({ min: schema.minimum, max: schema.maximum, noNaN: true, noDefaultInfinity: true });
  const valid = [encoded(wire, inRange), ...(unknownBelowZero ? [encoded(wire, fc.double({ max: -1e-9, noNaN: true, noDefaultInfinity: true }))] : [])];
  const invalid = [notNumbers(wire)];
  if (schema.maximum !== undefined) invalid.push(encoded(wire, above(schema.maximum)));
  if (schema.minimum !== undefined && !unknownBelowZero) invalid.push(encoded(wire, below(schema.minimum)));
  return { path, valid: fc.oneof(...valid), invalid: fc.oneof(...invalid), required };
}

/** A report time: Unix seconds or ISO 8601 with a zone, in the past; refused when in the future or unreadable. */
function reportTime(path: string, wire: Wire, { iso = true, seconds = true } = {}): PhoneField {
  const ago = fc.integer({ min: 1, max: 30 * 86_400 });
  const secondsAgo = encoded(wire, ago.map((s) => Math.floor(Date.now() / 1000) - s));
  const isoAgo = ago.map((s) => new Date(Date.now() - s * 1000).toISOString());
  const ahead = fc.integer({ min: 600, max: 10 * 365 * 86_400 });
  const valid = [...(seconds ? [secondsAgo] : []), ...(iso ? [isoAgo] : [])];
  const invalid = [
    ...(seconds ? [encoded(wire, ahead.map((s) => Math.floor(Date.now() / 1000) + s))] : []),
    ahead.map((s) => new Date(Date.now() + s * 1000).toISOString()),
    fc.constantFrom('yesterday', '2024-01-01T00:00:00', '2024-13-01T00:00:00Z', '-5'),
  ];
  return { path, valid: fc.oneof(...valid), invalid: fc.oneof(...invalid), required: false };
}

/** The device: registered (valid), unregistered (422, counted) or not an id at all (400). */
function device(path: string, registered: string): PhoneField {
  const unknown = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/).map((id) => `unregistered-${id}`);
  return { path, valid: fc.constant(registered), invalid: fc.oneof(unknown, fc.constantFrom('no spaces allowed', '中文', 'a/b/c')), required: true };
}

function positionFields(wire: Wire, names: { lat: string; lon: string; accuracy: string; speed: string; bearing: string; altitude: string }): PhoneField[] {
  return [
    measured(names.lat, Lat, wire, { required: true }),
    measured(names.lon, Lon, wire, { required: true }),
    measured(names.accuracy, Accuracy, wire, { unknownBelowZero: true }),
    measured(names.speed, Speed, wire, { unknownBelowZero: true }),
    measured(names.bearing, Bearing, wire, { unknownBelowZero: true }),
    measured(names.altitude, Altitude, wire),
  ];
}

const OSMAND_FIELDS: PhoneField[] = [
  device('/id', TRACCAR_DEVICE),
  ...positionFields('text', { lat: '/lat', lon: '/lon', accuracy: '/accuracy', speed: '/speed', bearing: '/bearing', altitude: '/altitude' }),
  measured('/batt', Battery, 'text', { unknownBelowZero: true }),
  reportTime('/timestamp', 'text'),
];

const TRACCAR_JSON_FIELDS: PhoneField[] = [
  device('/device_id', TRACCAR_DEVICE),
  ...positionFields('json', {
    lat: '/location/coords/latitude',
    lon: '/location/coords/longitude',
    accuracy: '/location/coords/accuracy',
    speed: '/location/coords/speed',
    bearing: '/location/coords/heading',
    altitude: '/location/coords/altitude',
  }),
  measured('/location/battery/level', { minimum: 0, maximum: 1 }, 'json', { unknownBelowZero: true }),
  reportTime('/location/timestamp', 'json', { seconds: false }),
];

const OWNTRACKS_NAME = fc.stringMatching(/^[A-Za-z0-9]{1,20}$/);
const OWNTRACKS_FIELDS: PhoneField[] = [
  { path: '/_type', valid: fc.constant('location'), invalid: fc.oneof(fc.integer(), fc.constant(null)), required: true },
  // An unknown user/device pair is named by its device part: only malformed users here.
  { path: '/headers/x-limit-u', valid: fc.constant(OWNTRACKS_USER), invalid: fc.constantFrom('two words', 'a/b', 'bad!user', 'x'.repeat(64)), required: true },
  { path: '/headers/x-limit-d', valid: fc.constant(OWNTRACKS_DEVICE), invalid: fc.oneof(OWNTRACKS_NAME.map((d) => `nothing${d}`), fc.constant('a/b')), required: true },
  ...positionFields('json', { lat: '/lat', lon: '/lon', accuracy: '/acc', speed: '/vel', bearing: '/cog', altitude: '/alt' }),
  measured('/batt', Battery, 'json', { unknownBelowZero: true }),
  reportTime('/tst', 'json', { iso: false }),
];

function ownTracksIdentity(): Record<string, string> {
  return { 'x-limit-u': OWNTRACKS_USER, 'x-limit-d': OWNTRACKS_DEVICE };
}

const ONE_POSITION = { accepted: 1 };
const TRACCAR_JSON: PhoneEndpoint = {
  name: 'POST /api/v1/osmand (Traccar JSON)',
  fields: TRACCAR_JSON_FIELDS,
  build: (values) => ({ method: 'POST', url: '/api/v1/osmand', contentType: 'application/json', body: jsonText(values) }),
  acceptedBody: ONE_POSITION,
};
const OWNTRACKS: PhoneEndpoint = {
  name: 'POST /api/v1/owntracks',
  fields: OWNTRACKS_FIELDS,
  build: (values) => ({ method: 'POST', url: '/api/v1/owntracks', contentType: 'application/json', headers: headersOf(values), body: jsonText(values) }),
  // OwnTracks expects messages for the app back: there are none.
  acceptedBody: [],
};
const PHONE_ENDPOINTS: PhoneEndpoint[] = [
  { name: 'GET /api/v1/osmand', fields: OSMAND_FIELDS, build: (values) => ({ method: 'GET', url: `/api/v1/osmand?${formText(values)}` }), acceptedBody: ONE_POSITION },
  { name: 'POST /api/v1/osmand (form)', fields: OSMAND_FIELDS, build: (values) => ({ method: 'POST', url: '/api/v1/osmand', contentType: 'application/x-www-form-urlencoded', body: formText(values) }), acceptedBody: ONE_POSITION },
  TRACCAR_JSON,
  OWNTRACKS,
];

function formText(values: Map<string, unknown>): string {
  return new URLSearchParams([...values].map(([path, value]) => [path.slice(1), String(value)])).toString();
}

/** The body fields as nested JSON (pointers such as /location/coords/latitude); headers left out. */
function jsonText(values: Map<string, unknown>): string {
  const root: Record<string, unknown> = {};
  for (const [path, value] of values) {
    if (path.startsWith('/headers/')) continue;
    const keys = path.slice(1).split('/');
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys.at(-1)!] = value;
  }
  return JSON.stringify(root);
}

function headersOf(values: Map<string, unknown>): Record<string, string> {
  return Object.fromEntries([...values].filter(([path]) => path.startsWith('/headers/')).map(([path, value]) => [path.slice(9), String(value)]));
}

/** Valid values, optional fields sometimes left out. */
function phoneValues(endpoint: PhoneEndpoint, except?: string): fc.Arbitrary<Map<string, unknown>> {
  const fields = endpoint.fields.filter((field) => field.path !== except);
  const values = fields.map((field) => (field.required ? field.valid : fc.option(field.valid, { nil: ABSENT })));
  return fc.tuple(...values).map((chosen) => new Map(fields.map((field, i) => [field.path, chosen[i]] as const).filter(([, value]) => value !== ABSENT)));
}

interface PhoneCase {
  values: Map<string, unknown>;
  broken: { path: string; value: unknown } | null;
}

function phoneCases(endpoint: PhoneEndpoint): fc.Arbitrary<PhoneCase> {
  const brokenField = fc.constantFrom(...endpoint.fields).chain((field) =>
    fc.tuple(phoneValues(endpoint, field.path), field.required ? fc.oneof(field.invalid, fc.constant(ABSENT)) : field.invalid).map(([values, value]) => ({
      values,
      broken: { path: field.path, value },
    })),
  );
  return fc.oneof({ weight: 1, arbitrary: phoneValues(endpoint).map((values) => ({ values, broken: null })) }, { weight: 3, arbitrary: brokenField });
}

async function phoneProperty(endpoint: PhoneEndpoint, testCase: PhoneCase): Promise<void> {
  requestNumber++;
  const values = new Map(testCase.values);
  const { broken } = testCase;
  if (broken && broken.value !== ABSENT) values.set(broken.path, broken.value);
  const answer = await send(endpoint.build(values));
  if (broken === null) {
    expectAccepted(answer, `${endpoint.name}: a valid report`);
    expect(answer.body).toMatchObject(endpoint.acceptedBody);
    return;
  }
  const label = `${endpoint.name}: ${broken.path} = ${broken.value === ABSENT ? 'absent' : JSON.stringify(broken.value)}`;
  const cut = broken.path.lastIndexOf('/');
  expectNamed(answer, label, broken.path.slice(0, cut) || '/', broken.path.slice(cut + 1));
}

// ---- family (a): bodies that are not batches ------------------------------------------------

/** Every ingestion route taking a body (POST), with valid bodies to break. */
const ROUTES: Array<{ url: string; sample: fc.Arbitrary<string>; headers?: Record<string, string> }> = [
  { url: '/api/v1/cases', sample: batchText(CaseReport, { callback: 'omit' }) },
  { url: '/api/v1/incidents', sample: batchText(IncidentReport) },
  { url: '/api/v1/positions', sample: batchText(PositionReport, { volunteerId: fc.constantFrom(...REGISTERED_VOLUNTEERS), status: 'omit' }) },
  { url: '/api/v1/teams', sample: batchText(TeamRecord) },
  { url: '/api/v1/volunteers', sample: batchText(VolunteerRecord, { teamId: fc.constantFrom(...REGISTERED_TEAMS), deviceId: 'omit' }) },
  { url: '/api/v1/osmand', sample: phoneSample(TRACCAR_JSON) },
  // Who is reporting comes from the headers; the body is what is fuzzed.
  { url: '/api/v1/owntracks', sample: phoneSample(OWNTRACKS), headers: ownTracksIdentity() },
];

function batchText(schema: ObjectSchema, given: Given = {}): fc.Arbitrary<string> {
  return fc.array(validItem(schema, given), { minLength: 1, maxLength: 3 }).map((items) => JSON.stringify({ items }));
}

function phoneSample(endpoint: PhoneEndpoint): fc.Arbitrary<string> {
  return phoneValues(endpoint).map((values) => endpoint.build(values).body ?? '');
}

// ---- the run --------------------------------------------------------------------------------

describe(`ingestion fuzz (seed ${SEED}, ${RUNS} runs per endpoint)`, () => {
  beforeAll(async () => {
    server = await startServer(await createTestStore('pglite'));
    expect((await post(server, '/api/v1/teams', { items: teams() })).status).toBe(200);
    expect((await post(server, '/api/v1/volunteers', { items: [...volunteers(), ...PHONE_VOLUNTEERS] })).status).toBe(200);
  });
  afterAll(async () => server.dispose());

  it.each(ROUTES)('(a) POST $url refuses any other body cleanly', async (route) => {
    await check(
      arbitraryBody(route.sample),
      async (raw: RawBody) => {
        await send({ method: 'POST', url: route.url, contentType: raw.contentType, headers: route.headers, body: raw.text });
      },
      Math.ceil(RUNS / 2),
    );
  });

  it('(a) GET /api/v1/osmand takes any query string without a 5xx', async () => {
    await check(fc.oneof(fc.string({ unit: 'binary' }), fc.webQueryParameters()), async (query) => {
      // The URL parser percent-encodes what needs it, as a phone's HTTP client would.
      await send({ method: 'GET', url: `/api/v1/osmand?${query}` });
    }, Math.ceil(RUNS / 2));
  });

  it.each(BATCH_ENDPOINTS)('(b) POST $url accepts valid batches and refuses broken ones by name', async (endpoint) => {
    await check(batchCases(endpoint), (testCase) => batchProperty(endpoint, testCase));
  });

  it.each(PHONE_ENDPOINTS)('(b) $name accepts valid reports and refuses broken ones by name', async (endpoint) => {
    await check(phoneCases(endpoint), (testCase) => phoneProperty(endpoint, testCase));
  });

  it('still answers /healthz and takes a valid batch afterwards', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const head = server.app.store.head;
    expect((await post(server, '/api/v1/cases', { items: [hotlineCase(1_000_000)] })).status).toBe(200);
    expect(server.app.store.head).toBeGreaterThan(head);
  });
});
