/**
 * The leaders' view end to end, on both stores, through the HTTP API a leader reads: every
 * measure of the map of areas, every measured indicator, survey figures, reference figures
 * (populations) and their import, the league table as CSV, the heat map, the time machine
 * and who may read all this. Every expected figure is computed by hand in the comments from
 * a small data set, with the definitions of server/domain/indicators.ts.
 *
 * Times are minutes before T, a whole second about a minute before the test started; every
 * query names its window (from, to) so nothing depends on when the test runs.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseReport, IncidentReport, PositionReport } from '../../server/contract/ingest.ts';
import { NIUJIE, OUTSIDE, SHICHAHAI, teams, volunteers } from '../support/fixtures.ts';
import { createTestStore, post, startServer, STORE_KINDS, type StoreKind, type TestServer } from '../support/server.ts';
import { call, signIn, type Session } from '../support/sessions.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T = Math.floor((Date.now() - MINUTE) / 1000) * 1000;
const at = (minutes: number) => new Date(T + minutes * MINUTE).toISOString();
const ms = (minutes: number) => T + minutes * MINUTE;

/** A second point in 什刹海, 170 m east of its label point: another grid cell. */
const SHICHAHAI2 = { adcode: '110102012', lon: 116.380293, lat: 39.9327918 };
/** 德胜's label point (geo/data/xicheng_subdistrict_labels_osm_wgs84.geojson). */
const DESHENG = { adcode: '110102010', lon: 116.3727216, lat: 39.9585577 };
/** The grid cells these points lie in (geo's locator), with their areas from the grid file. */
const CELL = { SHICHAHAI: '110102012-038-054', SHICHAHAI2: '110102012-040-054', NIUJIE: '110102018-020-018', DESHENG: '110102010-035-073' };
const XICHENGGUAN = '110102001'; // 西长安街: no census population
const DISTRICT = '110102';

const running: TestServer[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.dispose();
});

async function start(kind: StoreKind): Promise<TestServer> {
  const server = await startServer(await createTestStore(kind));
  running.push(server);
  return server;
}

type Place = { lon: number; lat: number };

async function send(server: TestServer, path: string, items: unknown[]): Promise<void> {
  const answer = await post(server, path, { items });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

async function registry(server: TestServer): Promise<void> {
  await send(server, '/api/v1/teams', teams());
  await send(server, '/api/v1/volunteers', volunteers());
}

interface CaseSpec {
  id: string;
  source: CaseReport['source'];
  category?: CaseReport['category'];
  urgency?: CaseReport['urgency'];
  where: Place;
  reporter?: string;
}

/** A case's reports in order: [minutes, state, call-back]; the first is its report. */
async function kase(
  server: TestServer,
  spec: CaseSpec,
  steps: Array<[number, CaseReport['state']?, CaseReport['callback']?]>,
): Promise<void> {
  const base = { sourceId: spec.id, source: spec.source, category: spec.category ?? 'parking', urgency: spec.urgency ?? 'normal', lon: spec.where.lon, lat: spec.where.lat };
  const items: CaseReport[] = steps.map(([minutes, state, callback], i) => ({
    ...base,
    at: at(minutes),
    ...(state ? { state } : {}),
    ...(callback ? { callback } : {}),
    ...(i === 0 && spec.reporter ? { reporter: spec.reporter } : {}),
  }));
  await send(server, '/api/v1/cases', items);
}

/** An incident reported at `reported`, a team on scene at `onScene` (null: never), closed at `closed`. */
async function incident(
  server: TestServer,
  spec: { id: string; kind: IncidentReport['kind']; severity: number; where: Place },
  reported: number,
  onScene: number | null,
  closed: number | null = null,
): Promise<void> {
  const base = { sourceId: spec.id, kind: spec.kind, severity: spec.severity, lon: spec.where.lon, lat: spec.where.lat };
  const items: IncidentReport[] = [{ ...base, at: at(reported) }];
  if (onScene !== null) items.push({ ...base, state: 'responding', milestone: 'on_scene', at: at(onScene) });
  if (closed !== null) items.push({ ...base, state: 'closed', at: at(closed) });
  await send(server, '/api/v1/incidents', items);
}

/** A volunteer's fixes and duty moves in order: [minutes, where, status]. */
async function track(server: TestServer, volunteerId: string, steps: Array<[number, Place, PositionReport['status']]>): Promise<void> {
  await send(server, '/api/v1/positions', steps.map(([minutes, where, status]) => ({ volunteerId, lon: where.lon, lat: where.lat, at: at(minutes), status })));
}

function query(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${encodeURIComponent(typeof v === 'number' ? new Date(v).toISOString() : v)}`)
    .join('&');
}

async function read(session: Session, path: string): Promise<any> {
  const answer = await session.request('GET', path);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function sendCsv(server: TestServer, session: Session, text: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/api/v1/reference/areas/import`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: text,
  });
  return { status: response.status, body: await response.json() };
}

const v = (value: number) => ({ value, missing: null });
const none = (missing: 'no_population' | 'no_data' | 'not_kept') => ({ value: null, missing });
const byKey = <R extends { key: string }>(rows: R[]) => new Map(rows.map((r) => [r.key, r]));

/**
 * The map's data set, in 什刹海 (two cells), 牛街 and 德胜, with T−24 h … T the window:
 *
 * cases (deadline: parking 24 h, urgent 2 h; noise urgent 2 h; dogs 72 h; garbage sorting 48 h)
 *   C1  什刹海 cell A  urgent  reported −600  resolved −540  closed −510   deadline −480  on time
 *   C2  什刹海 cell A  urgent  reported −360  dispatched −300  resolved −180  deadline −240  late
 *   C3  什刹海 cell B  normal  reported −297  dispatched −240  open  deadline +1143
 *   C4  什刹海 cell B  noise urgent  reported −240  open  deadline −120: overdue
 *   C5  什刹海 cell A  normal  reported −1800 (before the window)  resolved −1200  closed −1140  deadline −360  on time
 *   C6  什刹海 cell A  dogs  reported −3000  open  deadline +1320
 *   C7  什刹海 cell A  reported +0.5 (after the window)
 *   C8  牛街  urgent  reported −180  resolved −150  deadline −60  on time
 *   C9  牛街  garbage sorting  reported −120  open  deadline +2760
 *   C10 德胜  urgent  reported −1200  open  deadline −1080: overdue
 *   C11 outside the district  reported −420  open
 * incidents
 *   I1 medical III  什刹海 A  reported −298  on scene −292 (6 min)
 *   I2 fire I       什刹海 A  reported −240  on scene −230 (10 min)
 *   I3 traffic II   什刹海 B  reported −120  never reached
 *   I4 medical IV   牛街      reported −60   on scene −48 (12 min)
 *   I5 medical III  什刹海 A  reported −1800 (before)  on scene −1760  closed −1740
 * volunteers (positions; on duty at T: a fix in the 10 minutes before, not gone off duty since)
 *   V012-1-1  −290 什刹海 A, −5 什刹海 A                        on duty at T in 什刹海 A
 *   V018-1-1  −275 牛街, −4 牛街                                 on duty at T in 牛街
 *   V012-1-2  −273 什刹海 A, off −271, −260 什刹海 B, −8 什刹海 A, off −3   off duty at T
 */
async function seedMap(server: TestServer): Promise<void> {
  await registry(server);
  const A = SHICHAHAI;
  const B = SHICHAHAI2;
  await kase(server, { id: 'C1', source: 'hotline', urgency: 'urgent', where: A }, [[-600], [-540, 'resolved'], [-510, 'closed']]);
  await kase(server, { id: 'C2', source: 'hotline', urgency: 'urgent', where: A }, [[-360], [-300, 'dispatched'], [-180, 'resolved']]);
  await kase(server, { id: 'C3', source: 'app', where: B }, [[-297], [-240, 'dispatched']]);
  await kase(server, { id: 'C4', source: 'patrol', category: 'noise', urgency: 'urgent', where: B }, [[-240]]);
  await kase(server, { id: 'C5', source: 'hotline', where: A }, [[-1800], [-1200, 'resolved'], [-1140, 'closed']]);
  await kase(server, { id: 'C6', source: 'hotline', category: 'dogs', where: A }, [[-3000]]);
  await kase(server, { id: 'C7', source: 'hotline', where: A }, [[0.5]]);
  await kase(server, { id: 'C8', source: 'hotline', urgency: 'urgent', where: NIUJIE }, [[-180], [-150, 'resolved']]);
  await kase(server, { id: 'C9', source: 'app', category: 'garbage_sorting', where: NIUJIE }, [[-120]]);
  await kase(server, { id: 'C10', source: 'app', urgency: 'urgent', where: DESHENG }, [[-1200]]);
  await kase(server, { id: 'C11', source: 'hotline', where: OUTSIDE }, [[-420]]);
  await incident(server, { id: 'I1', kind: 'medical', severity: 3, where: A }, -298, -292);
  await incident(server, { id: 'I2', kind: 'fire', severity: 1, where: A }, -240, -230);
  await incident(server, { id: 'I3', kind: 'traffic', severity: 2, where: B }, -120, null);
  await incident(server, { id: 'I4', kind: 'medical', severity: 4, where: NIUJIE }, -60, -48);
  await incident(server, { id: 'I5', kind: 'medical', severity: 3, where: A }, -1800, -1760, -1740);
  await track(server, 'V012-1-1', [[-290, A, 'available'], [-5, A, 'available']]);
  await track(server, 'V018-1-1', [[-275, NIUJIE, 'available'], [-4, NIUJIE, 'available']]);
  await track(server, 'V012-1-2', [[-273, A, 'available'], [-271, A, 'off_duty'], [-260, B, 'available'], [-8, A, 'available'], [-3, A, 'off_duty']]);
}

const DAY_WINDOW = { from: ms(-1440), to: ms(0) };

describe.each(STORE_KINDS)('leaders’ map of areas on %s', (kind) => {
  it('counts every measure per subdistrict, per 10,000 residents, and says when a population is not known', async () => {
    const server = await start(kind);
    await seedMap(server);
    const leader = await signIn(server, 'leader');

    const table = await read(leader, `/api/v1/leaders/areas?${query({ ...DAY_WINDOW, measure: 'open' })}`);
    expect(table).toMatchObject({ from: ms(-1440), to: ms(0), level: 'subdistrict', within: null, measure: 'open', perCapita: false });
    const rows = byKey(table.areas as any[]);
    // All 15 subdistricts, each once.
    expect(table.areas).toHaveLength(15);
    // 什刹海: reported in the window C1 C2 C3 C4 = 4; open at T C3 C4 C6 = 3, of which past
    // the deadline C4 = 1; due in the window C1 (−480) C2 (−240) C4 (−120) C5 (−360) = 4,
    // resolved by the deadline C1 C5 = 2 → 50 %; incidents I1 (III) I2 (I) I3 (II), severe
    // (I + II) 2, reached 2, mean response (6 + 10) / 2 = 8 min = 480 s; on duty V012-1-1.
    expect(rows.get(SHICHAHAI.adcode)).toEqual({
      key: SHICHAHAI.adcode,
      subdistrict: SHICHAHAI.adcode,
      population: 75447,
      counts: { cases: 4, open: 3, overdue: 1, due: 4, onTime: 2, incidents: [1, 1, 1, 0], reached: 2, responseSeconds: 480, onDuty: 1 },
      figures: { cases: v(4), open: v(3), overdue: v(1), incidents: v(3), severe: v(2), response: v(8), on_time: v(50), on_duty: v(1) },
    });
    // 牛街: C8 C9 = 2; open C9 = 1, none overdue; due C8, on time → 100 %; I4 (IV) after 12 min;
    // on duty V018-1-1.
    expect(rows.get(NIUJIE.adcode)).toEqual({
      key: NIUJIE.adcode,
      subdistrict: NIUJIE.adcode,
      population: 51410,
      counts: { cases: 2, open: 1, overdue: 0, due: 1, onTime: 1, incidents: [0, 0, 0, 1], reached: 1, responseSeconds: 720, onDuty: 1 },
      figures: { cases: v(2), open: v(1), overdue: v(0), incidents: v(1), severe: v(0), response: v(12), on_time: v(100), on_duty: v(1) },
    });
    // 德胜: C10, open and overdue, due and not resolved → 0 %; no incident: no response time.
    expect(rows.get(DESHENG.adcode)).toEqual({
      key: DESHENG.adcode,
      subdistrict: DESHENG.adcode,
      population: 116338,
      counts: { cases: 1, open: 1, overdue: 1, due: 1, onTime: 0, incidents: [0, 0, 0, 0], reached: 0, responseSeconds: null, onDuty: 0 },
      figures: { cases: v(1), open: v(1), overdue: v(1), incidents: v(0), severe: v(0), response: none('no_data'), on_time: v(0), on_duty: v(0) },
    });
    // A subdistrict with nothing: zeros, and no time or rate to give.
    expect(rows.get(XICHENGGUAN)).toMatchObject({
      population: null,
      counts: { cases: 0, open: 0, due: 0, incidents: [0, 0, 0, 0], onDuty: 0 },
      figures: { cases: v(0), response: none('no_data'), on_time: none('no_data'), on_duty: v(0) },
    });
    // The district: the sums (C11 lies outside it); response (6 + 10 + 12) / 3 = 9.33 min = 560 s.
    expect(table.total).toEqual({
      key: DISTRICT,
      subdistrict: DISTRICT,
      population: 1106214,
      counts: { cases: 7, open: 5, overdue: 2, due: 6, onTime: 3, incidents: [1, 1, 1, 1], reached: 3, responseSeconds: 560, onDuty: 2 },
      figures: { cases: v(7), open: v(5), overdue: v(2), incidents: v(4), severe: v(2), response: v(9.3), on_time: v(50), on_duty: v(2) },
    });

    // Per 10,000 residents (census): 什刹海 75,447: 4 → 0.53, 3 → 0.40, 1 → 0.13, severe 2 →
    // 0.27; 牛街 51,410: 2 → 0.39, 1 → 0.19; 德胜 116,338: 1 → 0.09; district 1,106,214:
    // 7 → 0.06, 5 → 0.05, 2 → 0.02. Times and rates stay as they are.
    const perCapita = await read(leader, `/api/v1/leaders/areas?${query({ ...DAY_WINDOW, perCapita: '1' })}`);
    expect(perCapita.perCapita).toBe(true);
    const per = byKey(perCapita.areas as any[]);
    expect(per.get(SHICHAHAI.adcode).figures).toEqual({
      cases: v(0.5), open: v(0.4), overdue: v(0.1), incidents: v(0.4), severe: v(0.3), response: v(8), on_time: v(50), on_duty: v(0.1),
    });
    expect(per.get(NIUJIE.adcode).figures).toEqual({
      cases: v(0.4), open: v(0.2), overdue: v(0), incidents: v(0.2), severe: v(0), response: v(12), on_time: v(100), on_duty: v(0.2),
    });
    expect(per.get(DESHENG.adcode).figures).toMatchObject({ cases: v(0.1), open: v(0.1), overdue: v(0.1), incidents: v(0) });
    // No population for 西长安街: every count measure says so, the raw counts stay.
    expect(per.get(XICHENGGUAN)).toMatchObject({
      counts: { cases: 0 },
      figures: { cases: none('no_population'), open: none('no_population'), on_duty: none('no_population'), response: none('no_data'), on_time: none('no_data') },
    });
    expect(perCapita.total.figures).toMatchObject({ cases: v(0.1), open: v(0), overdue: v(0), on_duty: v(0), response: v(9.3) });

    // A leader sets 什刹海 to 20,000 residents and 牛街 to unknown: 4 → 2.0, 3 → 1.5, 1 → 0.5,
    // severe 2 → 1.0; 牛街's counts have no population to be divided by any more.
    const set = await leader.request('PUT', `/api/v1/reference/areas/${SHICHAHAI.adcode}`, { population: 20000, households: null, communities: 22, sourceNote: 'test' });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const unknown = await leader.request('PUT', `/api/v1/reference/areas/${NIUJIE.adcode}`, { population: null, households: null, communities: null, sourceNote: 'not known' });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(200);
    const after = byKey((await read(leader, `/api/v1/leaders/areas?${query({ ...DAY_WINDOW, perCapita: '1' })}`)).areas as any[]);
    expect(after.get(SHICHAHAI.adcode)).toMatchObject({
      population: 20000,
      figures: { cases: v(2), open: v(1.5), overdue: v(0.5), incidents: v(1.5), severe: v(1), on_duty: v(0.5), response: v(8) },
    });
    expect(after.get(NIUJIE.adcode)).toMatchObject({
      population: null,
      counts: { cases: 2, open: 1 },
      figures: { cases: none('no_population'), open: none('no_population'), incidents: none('no_population'), on_duty: none('no_population'), response: v(12), on_time: v(100) },
    });
  });

  it('gives a subdistrict’s grid cells, and says when the window’s end is older than the tracks kept', async () => {
    const server = await start(kind);
    await seedMap(server);
    const leader = await signIn(server, 'leader');
    const cells = await read(leader, `/api/v1/leaders/areas?${query({ ...DAY_WINDOW, level: 'cell', within: SHICHAHAI.adcode, perCapita: '1' })}`);
    expect(cells).toMatchObject({ level: 'cell', within: SHICHAHAI.adcode });
    // Every cell of 什刹海 (271 in the grid file), each in 什刹海.
    const grid = JSON.parse(readFileSync(new URL('../../geo/data/xicheng_grid_generated.geojson', import.meta.url), 'utf8'));
    const shichahaiCells = grid.features.filter((f: any) => f.properties.subdistrict === SHICHAHAI.adcode).map((f: any) => f.properties.id);
    expect((cells.areas as any[]).map((a) => a.key).sort()).toEqual(shichahaiCells.sort());
    expect((cells.areas as any[]).every((a) => a.subdistrict === SHICHAHAI.adcode && a.population === null)).toBe(true);
    const rows = byKey(cells.areas as any[]);
    // Cell A: reported C1 C2 = 2; open C6 = 1; due C1 C2 C5 = 3, on time C1 C5 → 66.7 %;
    // I1 (III) and I2 (I), 8 min; V012-1-1 on duty. A cell has no population: counts per
    // resident cannot be given.
    expect(rows.get(CELL.SHICHAHAI)).toEqual({
      key: CELL.SHICHAHAI,
      subdistrict: SHICHAHAI.adcode,
      population: null,
      counts: { cases: 2, open: 1, overdue: 0, due: 3, onTime: 2, incidents: [1, 0, 1, 0], reached: 2, responseSeconds: 480, onDuty: 1 },
      figures: {
        cases: none('no_population'), open: none('no_population'), overdue: none('no_population'), incidents: none('no_population'),
        severe: none('no_population'), response: v(8), on_time: v(66.7), on_duty: none('no_population'),
      },
    });
    // Cell B: C3 C4 = 2, both open, C4 overdue and due and late → 0 %; I3 (II) never reached.
    expect(rows.get(CELL.SHICHAHAI2)).toMatchObject({
      counts: { cases: 2, open: 2, overdue: 1, due: 1, onTime: 0, incidents: [0, 1, 0, 0], reached: 0, responseSeconds: null, onDuty: 0 },
      figures: { response: none('no_data'), on_time: v(0) },
    });
    const others = (cells.areas as any[]).filter((a) => a.key !== CELL.SHICHAHAI && a.key !== CELL.SHICHAHAI2);
    expect(others.every((a) => a.counts.cases === 0 && a.counts.open === 0 && a.counts.onDuty === 0)).toBe(true);
    // The total is 什刹海's, with its population (75,447: 4 cases → 0.5).
    expect(cells.total).toMatchObject({
      key: SHICHAHAI.adcode,
      population: 75447,
      counts: { cases: 4, open: 3, overdue: 1, due: 4, onTime: 2, incidents: [1, 1, 1, 0], reached: 2, responseSeconds: 480, onDuty: 1 },
      figures: { cases: v(0.5), on_time: v(50) },
    });

    // One subdistrict alone: its row, and its own total.
    const niujie = await read(leader, `/api/v1/leaders/areas?${query({ ...DAY_WINDOW, within: NIUJIE.adcode })}`);
    expect((niujie.areas as any[]).map((a) => [a.key, a.counts.cases])).toEqual([[NIUJIE.adcode, 2]]);
    expect(niujie.total).toMatchObject({ key: NIUJIE.adcode, population: 51410, counts: { cases: 2, open: 1, onDuty: 1 } });

    // A window ending eight days ago (tracks are kept seven): nothing happened then, and who
    // was on duty is no longer known — not zero.
    const old = await read(leader, `/api/v1/leaders/areas?${query({ from: ms(-9 * 1440), to: ms(-8 * 1440) })}`);
    expect(old.total.counts).toMatchObject({ cases: 0, onDuty: null });
    expect(old.total.figures.on_duty).toEqual(none('not_kept'));
    expect((old.areas as any[]).every((a) => a.figures.on_duty.missing === 'not_kept')).toBe(true);
    // Bad queries are refused, naming the parameter.
    const backwards = await leader.request('GET', `/api/v1/leaders/areas?${query({ from: ms(0), to: ms(-60) })}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.details).toEqual([{ path: '/from', message: expect.any(String) }]);
    const badLevel = await leader.request('GET', '/api/v1/leaders/areas?level=street');
    expect(badLevel.status).toBe(400);
  });

  it('writes the league table as a CSV file, and bins cases and incidents for the heat map', async () => {
    const server = await start(kind);
    await seedMap(server);
    const leader = await signIn(server, 'leader');
    const csv = (params: Record<string, string | number>) =>
      fetch(`${server.url}/api/v1/leaders/areas.csv?${query(params)}`, { headers: { cookie: leader.cookie } });
    const answer = await csv(DAY_WINDOW);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe(`attachment; filename="xicheng-subdistrict-${new Date(T).toISOString().slice(0, 10)}.csv"`);
    // UTF-8 with a byte order mark, for Excel.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await answer.arrayBuffer());
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = text.slice(1).trimEnd().split('\n');
    // A header, 15 subdistricts, the total.
    expect(lines).toHaveLength(17);
    expect(lines[0]).toBe(
      '区域 area,街道 subdistrict,常住人口 population,新案件 cases,在办 open,超期 overdue,应办结 due,按期办结 on time,事件 I,事件 II,事件 III,事件 IV,平均到场(分钟) response min,在岗志愿者 on duty,指标 measure,数值 value,缺失原因 missing',
    );
    // The figures of the first test, as a table.
    expect(lines).toContain('110102012,什刹海街道,75447,4,3,1,4,2,1,1,1,0,8.0,1,cases,4,');
    expect(lines).toContain('110102018,牛街街道,51410,2,1,0,1,1,0,0,0,1,12.0,1,cases,2,');
    expect(lines).toContain('110102010,德胜街道,116338,1,1,1,1,0,0,0,0,0,,0,cases,1,');
    expect(lines.at(-1)).toBe('110102,西城区,1106214,7,5,2,6,3,1,1,1,1,9.3,2,cases,7,');
    // Per resident, a subdistrict without a population: empty value, the reason beside it.
    const per = await csv({ ...DAY_WINDOW, perCapita: '1' });
    expect((await per.text()).split('\n')).toContain('110102001,西长安街街道,,0,0,0,0,0,0,0,0,0,,0,cases /10000,,no_population');

    // Heat, bins of 0.001°: cases of the day C1 C2 at 什刹海 A (116.378, 39.933), C3 C4 at B
    // (116.380, 39.933), C8 C9 at 牛街 (116.347, 39.885), C10 at 德胜 (116.373, 39.959); C11
    // (outside), C5 C6 (before) and C7 (after) are not counted.
    const sorted = (bins: number[][]) => [...bins].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    const cases = await read(leader, `/api/v1/leaders/heat?${query(DAY_WINDOW)}`);
    expect(cases).toMatchObject({ from: ms(-1440), to: ms(0), layer: 'cases' });
    expect(sorted(cases.bins)).toEqual([[116.347, 39.885, 2], [116.373, 39.959, 1], [116.378, 39.933, 2], [116.38, 39.933, 2]]);
    // The last five hours: C3 (−297) C4 (−240) C8 C9.
    const recent = await read(leader, `/api/v1/leaders/heat?${query({ from: ms(-300), to: ms(0) })}`);
    expect(sorted(recent.bins)).toEqual([[116.347, 39.885, 2], [116.38, 39.933, 2]]);
    // Incidents of the day: I1 I2 at A, I3 at B, I4 at 牛街; I5 is older.
    const incidents = await read(leader, `/api/v1/leaders/heat?${query({ ...DAY_WINDOW, layer: 'incidents' })}`);
    expect(sorted(incidents.bins)).toEqual([[116.347, 39.885, 1], [116.378, 39.933, 2], [116.38, 39.933, 1]]);
  });

  it('shows the district as it stood at a past moment, and what happened in a span, in time order', async () => {
    const server = await start(kind);
    await seedMap(server);
    const leader = await signIn(server, 'leader');
    // At −270: open then C2 (dispatched at −300, resolved only at −180), C3 (reported −297,
    // dispatched only at −240), C6, C10, C11 (outside, on the wall too). C1 and C5 were closed
    // by then; C4, C7, C8, C9 reported later. Incidents: I1 (on scene since −292); I5 closed;
    // the others later. Units with a fix in the 10 minutes before: V018-1-1 (−275); V012-1-2
    // (−273) went off duty at −271; V012-1-1's last fix (−290) is older.
    const snapshot = await read(leader, `/api/v1/history/snapshot?${query({ at: ms(-270) })}`);
    expect(snapshot).toMatchObject({ at: ms(-270), unitsKept: true });
    const cases = (snapshot.cases as any[]).map((c) => [c.id, c.state, c.updatedAt]).sort();
    expect(cases).toEqual([
      ['app:C10', 'reported', ms(-1200)],
      ['app:C3', 'reported', ms(-297)],
      ['hotline:C11', 'reported', ms(-420)],
      ['hotline:C2', 'dispatched', ms(-300)],
      ['hotline:C6', 'reported', ms(-3000)],
    ]);
    expect((snapshot.incidents as any[]).map((i) => [i.id, i.state, i.onSceneAt])).toEqual([['I1', 'responding', ms(-292)]]);
    expect((snapshot.units as any[]).map((u) => [u.id, u.status, u.lon, u.lat, u.at])).toEqual([['V018-1-1', 'available', NIUJIE.lon, NIUJIE.lat, ms(-275)]]);

    // What happened in (−310, −250]: C2 dispatched (−300), I1 reported (−298), C3 reported
    // (−297), I1 on scene (−292), V012-1-1 on duty at A (−290), V018-1-1 on duty (−275),
    // V012-1-2 on duty (−273), off duty (−271: off the map), on duty again at B (−260).
    const changes = await read(leader, `/api/v1/history/changes?${query({ from: ms(-310), to: ms(-250) })}`);
    expect(changes).toMatchObject({ from: ms(-310), until: ms(-250), unitsKept: true });
    const seen = (changes.changes as any[]).map(({ at: when, change }) => [
      (when - T) / MINUTE,
      change.kind,
      change.value.id,
      change.kind === 'unit' ? change.value.status : change.value.state,
      change.kind === 'unit' ? change.value.lon : change.value.lon !== null,
    ]);
    expect(seen).toEqual([
      [-300, 'case', 'hotline:C2', 'dispatched', true],
      [-298, 'incident', 'I1', 'reported', true],
      [-297, 'case', 'app:C3', 'reported', true],
      [-292, 'incident', 'I1', 'responding', true],
      [-290, 'unit', 'V012-1-1', 'available', SHICHAHAI.lon],
      [-275, 'unit', 'V018-1-1', 'available', NIUJIE.lon],
      [-273, 'unit', 'V012-1-2', 'available', SHICHAHAI.lon],
      [-271, 'unit', 'V012-1-2', 'off_duty', null],
      [-260, 'unit', 'V012-1-2', 'available', SHICHAHAI2.lon],
    ]);

    // A change no report made (an operator blows the whistle on C3 now) shows when it was made,
    // not at C3's last report (−240): at −200, C3 stands dispatched without a whistle.
    const operator = await signIn(server, 'operator');
    const beforeBlowing = Date.now();
    const blown = await operator.request('POST', `/api/v1/cases/${encodeURIComponent('app:C3')}/whistle`, { departments: ['城管'] });
    expect(blown.status, JSON.stringify(blown.body)).toBe(204);
    const c3At = async (moment: number) => ((await read(leader, `/api/v1/history/snapshot?${query({ at: moment })}`)).cases as any[]).find((c) => c.id === 'app:C3');
    expect(await c3At(ms(-200))).toMatchObject({ state: 'dispatched', whistle: null });
    expect((await c3At(Date.now() + 1000)).whistle).toMatchObject({ departments: [{ name: '城管', reportedAt: null }] });
    const recent = await read(leader, `/api/v1/history/changes?${query({ from: ms(-1), to: Date.now() + 1000 })}`);
    const whistles = (recent.changes as any[]).filter((c) => c.change.kind === 'case' && c.change.value.whistle !== null);
    expect(whistles.map((c) => [c.change.value.id, c.at >= beforeBlowing - 1000])).toEqual([['app:C3', true]]);
    // Eight days ago the tracks are no longer kept: no units, and it says so.
    const old = await read(leader, `/api/v1/history/snapshot?${query({ at: ms(-8 * 1440) })}`);
    expect(old).toMatchObject({ cases: [], incidents: [], units: [], unitsKept: false });
    // A span longer than an hour is refused.
    const long = await leader.request('GET', `/api/v1/history/changes?${query({ from: ms(-400), to: ms(-250) })}`);
    expect(long.status).toBe(400);
  });
});

/**
 * The indicators' data set, T−24 h … T in two buckets of 12 h (b0 −1440…−720, b1 −720…0), with
 * populations imported as 什刹海 10, 牛街 8, the district 12 (德胜 keeps its census 116,338):
 *
 * medical incidents: M1 什刹海 −1200 (b0) on scene +6; M2 什刹海 −300 (b1) +10; M3 牛街 −240 (b1)
 *   +5; M4 牛街 −180 never reached; F1 fire −120 +1 and M5 −1800 (before) and MX (outside) left out.
 * cases (parking unless said; urgent: deadline +2 h, normal +24 h)
 *   A1 hotline 什刹海 urgent  −1320, dispatched −1290, resolved −1260, closed −1250 call-back solved, satisfied;
 *      deadline −1200 (b0), on time; its reporter is not an app user
 *   A2 hotline 什刹海 urgent  −960, dispatched −810 (2.5 h: late), resolved −780, closed −770 not solved, unsatisfied;
 *      deadline −840 (b0), late
 *   A3 hotline 牛街 urgent    −480, dispatched −450, resolved −420, closed −410 solved, basically satisfied;
 *      deadline −360 (b1), on time
 *   A4 app 牛街 urgent r1     −300, never resolved; deadline −180 (b1), not on time
 *   A5 hotline 什刹海         −1800 (before the window), dispatched −1790, resolved −1740, closed −1730 not solved,
 *      unsatisfied; deadline −360 (b1), on time
 *   A6 hotline 什刹海         −600, dispatched −540 (1 h)
 *   H7 hotline 什刹海         −60, not answered yet (but not 2 h old at T)
 *   H8 hotline 牛街           −300, not answered in 5 h
 *   H9 hotline 牛街           −660, dispatched −600, resolved −540, closed −530 solved, unsatisfied
 *   P1 app 什刹海 r1 −100 days; P2, P3 app 什刹海 r2 −180, −150; P4 app 牛街 r3 −200;
 *   P5 app 什刹海 r4 −400 days (over a year); P6 app 德胜 no reporter −100
 *   G1 patrol 什刹海 A −1080 (b0); G2 patrol 牛街 −360 (b1); G3 patrol 什刹海 A −200 (b1);
 *   G0 patrol 德胜 (dogs) −1800 (before)
 * V012-1-1 on duty at 什刹海 B at −30 (b1); registered: 什刹海 2, 牛街 1.
 */
async function seedIndicators(server: TestServer, leader: Session): Promise<void> {
  const populations = await sendCsv(server, leader, 'adcode,population\n110102012,10\n110102018,8\n110102,12\n');
  expect(populations.status, JSON.stringify(populations.body)).toBe(200);
  await registry(server);
  const A = SHICHAHAI;
  await incident(server, { id: 'M1', kind: 'medical', severity: 3, where: A }, -1200, -1194);
  await incident(server, { id: 'M2', kind: 'medical', severity: 3, where: A }, -300, -290);
  await incident(server, { id: 'M3', kind: 'medical', severity: 3, where: NIUJIE }, -240, -235);
  await incident(server, { id: 'M4', kind: 'medical', severity: 3, where: NIUJIE }, -180, null);
  await incident(server, { id: 'F1', kind: 'fire', severity: 3, where: A }, -120, -119);
  await incident(server, { id: 'M5', kind: 'medical', severity: 3, where: A }, -1800, -1760);
  await incident(server, { id: 'MX', kind: 'medical', severity: 3, where: OUTSIDE }, -100, -99);
  const solved = { solved: true, satisfaction: 'satisfied' } as const;
  await kase(server, { id: 'A1', source: 'hotline', urgency: 'urgent', where: A, reporter: 'r9' }, [[-1320], [-1290, 'dispatched'], [-1260, 'resolved'], [-1250, 'closed', solved]]);
  await kase(server, { id: 'A2', source: 'hotline', urgency: 'urgent', where: A }, [[-960], [-810, 'dispatched'], [-780, 'resolved'], [-770, 'closed', { solved: false, satisfaction: 'unsatisfied' }]]);
  await kase(server, { id: 'A3', source: 'hotline', urgency: 'urgent', where: NIUJIE }, [[-480], [-450, 'dispatched'], [-420, 'resolved'], [-410, 'closed', { solved: true, satisfaction: 'basically_satisfied' }]]);
  await kase(server, { id: 'A4', source: 'app', urgency: 'urgent', where: NIUJIE, reporter: 'r1' }, [[-300]]);
  await kase(server, { id: 'A5', source: 'hotline', where: A }, [[-1800], [-1790, 'dispatched'], [-1740, 'resolved'], [-1730, 'closed', { solved: false, satisfaction: 'unsatisfied' }]]);
  await kase(server, { id: 'A6', source: 'hotline', where: A }, [[-600], [-540, 'dispatched']]);
  await kase(server, { id: 'H7', source: 'hotline', where: A }, [[-60]]);
  await kase(server, { id: 'H8', source: 'hotline', where: NIUJIE }, [[-300]]);
  await kase(server, { id: 'H9', source: 'hotline', where: NIUJIE }, [[-660], [-600, 'dispatched'], [-540, 'resolved'], [-530, 'closed', { solved: true, satisfaction: 'unsatisfied' }]]);
  await kase(server, { id: 'P1', source: 'app', where: A, reporter: 'r1' }, [[-100 * 1440]]);
  await kase(server, { id: 'P2', source: 'app', where: A, reporter: 'r2' }, [[-180]]);
  await kase(server, { id: 'P3', source: 'app', where: A, reporter: 'r2' }, [[-150]]);
  await kase(server, { id: 'P4', source: 'app', where: NIUJIE, reporter: 'r3' }, [[-200]]);
  await kase(server, { id: 'P5', source: 'app', where: A, reporter: 'r4' }, [[-400 * 1440]]);
  await kase(server, { id: 'P6', source: 'app', where: DESHENG }, [[-100]]);
  await kase(server, { id: 'G1', source: 'patrol', where: A }, [[-1080]]);
  await kase(server, { id: 'G2', source: 'patrol', where: NIUJIE }, [[-360]]);
  await kase(server, { id: 'G3', source: 'patrol', where: A }, [[-200]]);
  await kase(server, { id: 'G0', source: 'patrol', category: 'dogs', where: DESHENG }, [[-1800]]);
  await track(server, 'V012-1-1', [[-30, SHICHAHAI2, 'available']]);
}

describe.each(STORE_KINDS)('leaders’ indicators on %s', (kind) => {
  it('measures every live indicator for the district, each subdistrict and each bucket', async () => {
    const server = await start(kind);
    const leader = await signIn(server, 'leader');
    await seedIndicators(server, leader);
    const body = await read(leader, `/api/v1/leaders/indicators?${query({ ...DAY_WINDOW, buckets: '2' })}`);
    expect(body).toMatchObject({ from: ms(-1440), to: ms(0) });
    expect(body.buckets).toEqual([{ from: ms(-1440), to: ms(-720) }, { from: ms(-720), to: ms(0) }]);
    const live = new Map((body.live as any[]).map((i) => [i.key, i]));
    expect([...live.keys()]).toEqual([
      'prehospital_response', 'answered_on_time', 'grid_coverage', 'online_participation',
      'volunteers_per_resident', 'hotline_response', 'hotline_resolution', 'hotline_satisfaction',
    ]);
    for (const indicator of live.values()) expect(Object.keys(indicator.bySubdistrict)).toHaveLength(15);
    const pick = (key: string) => {
      const i = live.get(key);
      return { district: i.district, meets: i.meets, sub: [i.bySubdistrict[SHICHAHAI.adcode], i.bySubdistrict[NIUJIE.adcode], i.bySubdistrict[DESHENG.adcode], i.bySubdistrict[XICHENGGUAN]], trend: i.trend };
    };

    // #11: (6 + 10 + 5) / 3 = 7 min < 8: meets. 什刹海 (6 + 10) / 2 = 8; 牛街 5 (M4 unreached
    // is not averaged); b0 M1 6, b1 (10 + 5) / 2 = 7.5.
    expect(live.get('prehospital_response')).toMatchObject({ plan: 11, unit: 'minutes', target: { op: '<', value: 8 } });
    expect(pick('prehospital_response')).toEqual({
      district: v(7), meets: true, sub: [v(8), v(5), none('no_data'), none('no_data')], trend: [v(6), v(7.5)],
    });
    // #14: due A1 A2 A3 A4 A5, on time A1 A3 A5: 3 / 5 = 60 %; 什刹海 A1 A2 A5 2 / 3 = 66.7;
    // 牛街 A3 A4 1 / 2 = 50; b0 A1 A2 1 / 2 = 50, b1 A3 A4 A5 2 / 3 = 66.7.
    expect(pick('answered_on_time')).toEqual({
      district: v(60), meets: false, sub: [v(66.7), v(50), none('no_data'), none('no_data')], trend: [v(50), v(66.7)],
    });
    // #15: patrolled cells 什刹海 A (G1, G3), 什刹海 B (V012-1-1's fix), 牛街 (G2); areas from
    // the grid file: A 22,445 m², B 22,445 m², 牛街 22,461 m²; the grid 50,522,323 m²,
    // 什刹海 5,770,421, 牛街 1,439,331. District 67,351 / 50,522,323 = 0.13 %; 什刹海 44,890 /
    // 5,770,421 = 0.78 %; 牛街 22,461 / 1,439,331 = 1.56 %; 德胜 none of it (P6 is no patrol,
    // G0 is older); b0 A only: 0.04 %, b1 all three: 0.13 %.
    const grid = JSON.parse(readFileSync(new URL('../../geo/data/xicheng_grid_generated.geojson', import.meta.url), 'utf8'));
    const areaOf = new Map<string, number>(grid.features.map((f: any) => [f.properties.id, f.properties.areaM2]));
    const sumOf = (adcode?: string) => grid.features.filter((f: any) => adcode === undefined || f.properties.subdistrict === adcode).reduce((a: number, f: any) => a + f.properties.areaM2, 0);
    expect([areaOf.get(CELL.SHICHAHAI), areaOf.get(CELL.SHICHAHAI2), areaOf.get(CELL.NIUJIE)]).toEqual([22445, 22445, 22461]);
    expect([sumOf(), sumOf(SHICHAHAI.adcode), sumOf(NIUJIE.adcode)]).toEqual([50522323, 5770421, 1439331]);
    expect(pick('grid_coverage')).toEqual({
      district: v(0.1), meets: false, sub: [v(0.8), v(1.6), v(0), v(0)], trend: [v(0), v(0.1)],
    });
    // #20: app reporters in the year to T: r1 (P1, A4), r2 (P2, P3), r3 (P4) = 3 of 12: 25 %
    // (r4 is older than a year, r9 reported by phone, P6 named no one); 什刹海 r1 r2 2 / 10 =
    // 20 %; 牛街 r1 r3 2 / 8 = 25 %; 德胜 0 of 116,338; 西长安街 no population. b0 (the year to
    // −720): r1 only, 1 / 12 = 8.3 %; b1: 25 %.
    expect(pick('online_participation')).toEqual({
      district: v(25), meets: false, sub: [v(20), v(25), v(0), none('no_population')], trend: [v(8.3), v(25)],
    });
    // #21: registered 3 of 12 = 25 % ≥ 22: meets; 什刹海 2 / 10 = 20; 牛街 1 / 8 = 12.5; no trend.
    expect(pick('volunteers_per_resident')).toEqual({
      district: v(25), meets: true, sub: [v(20), v(12.5), v(0), none('no_population')], trend: [],
    });
    // 12345 response: reported in the window A1 A2 A3 A6 H7 H8 H9 (A5 before it); H7 is
    // neither answered nor 2 h old, so 6 count; answered within 2 h A1 A3 A6 H9: 4 / 6 = 66.7.
    // 什刹海 A1 A2 A6 (H7 not yet): 2 / 3; 牛街 A3 H8 H9: 2 / 3. b0 A1 A2: 1 / 2; b1 A3 A6 H8 H9: 3 / 4.
    expect(live.get('hotline_response')).toMatchObject({ plan: null, target: null, meets: null });
    expect(pick('hotline_response')).toEqual({
      district: v(66.7), meets: null, sub: [v(66.7), v(66.7), none('no_data'), none('no_data')], trend: [v(50), v(75)],
    });
    // Called back A1 A2 A3 H9 (A5 is older): solved A1 A3 H9 3 / 4 = 75 %; satisfied or basically
    // A1 A3 2 / 4 = 50 %. 什刹海 A1 A2: 1 / 2 and 1 / 2; 牛街 A3 H9: 2 / 2 and 1 / 2.
    // b0 A1 A2: 1 / 2, 1 / 2; b1 A3 H9: 2 / 2, 1 / 2.
    expect(pick('hotline_resolution')).toEqual({
      district: v(75), meets: null, sub: [v(50), v(100), none('no_data'), none('no_data')], trend: [v(50), v(100)],
    });
    expect(pick('hotline_satisfaction')).toEqual({
      district: v(50), meets: null, sub: [v(50), v(50), none('no_data'), none('no_data')], trend: [v(50), v(50)],
    });

    // Default buckets: 12 of two hours; the figures of the window stay.
    const twelve = await read(leader, `/api/v1/leaders/indicators?${query(DAY_WINDOW)}`);
    expect(twelve.buckets).toHaveLength(12);
    expect((twelve.live as any[]).find((i) => i.key === 'answered_on_time').district).toEqual(v(60));
    // The medical trend in 2-hour buckets: M1 (−1200) opens bucket 2 (−1200…−1080), M2 (−300)
    // in bucket 9 (−360…−240), M3 (−240) opens bucket 10, beside M4, unreached.
    const medical = (twelve.live as any[]).find((i) => i.key === 'prehospital_response').trend;
    expect(medical.map((f: any) => f.value)).toEqual([null, null, 6, null, null, null, null, null, null, 10, 5, null]);
    const badBuckets = await leader.request('GET', `/api/v1/leaders/indicators?${query({ ...DAY_WINDOW, buckets: '0' })}`);
    expect(badBuckets.status).toBe(400);
  });

  it('keeps survey figures a leader enters, with the latest and whether it meets the target', async () => {
    const server = await start(kind);
    const leader = await signIn(server, 'leader', { username: 'lead' });
    const items = [
      { indicator: 'safety_feeling', adcode: DISTRICT, period: '2024', value: 96.5 },
      { indicator: 'safety_feeling', adcode: DISTRICT, period: '2025', value: 97.2 },
      { indicator: 'safety_feeling', adcode: SHICHAHAI.adcode, period: '2026', value: 90 },
      { indicator: 'food_safety', adcode: DISTRICT, period: '2025-Q3', value: 99 },
      { indicator: 'food_safety', adcode: DISTRICT, period: '2025-11', value: 99.5 },
    ];
    const entered = await leader.request('PUT', '/api/v1/leaders/survey', { items });
    expect(entered.status, JSON.stringify(entered.body)).toBe(204);
    const survey = () => read(leader, `/api/v1/leaders/indicators?${query(DAY_WINDOW)}`).then((b) => new Map((b.survey as any[]).map((s) => [s.key, s])));
    let read1 = await survey();
    expect(read1.size).toBe(20);
    // Safety feeling (#12, ≥ 97 %): the district's latest year 2025, 97.2: meets; 什刹海's 2026
    // figure is not the district's.
    expect(read1.get('safety_feeling')).toMatchObject({ plan: 12, unit: 'percent', target: { op: '>=', value: 97 }, latest: { period: '2025', value: 97.2, meets: true } });
    expect(read1.get('safety_feeling').values.map((x: any) => [x.adcode, x.period, x.value, x.enteredBy])).toEqual([
      [DISTRICT, '2024', 96.5, 'user:lead'],
      [DISTRICT, '2025', 97.2, 'user:lead'],
      [SHICHAHAI.adcode, '2026', 90, 'user:lead'],
    ]);
    // Food safety (#13, > 99 %): November 2025 comes after the third quarter: 99.5, meets.
    expect(read1.get('food_safety')).toMatchObject({ target: { op: '>', value: 99 }, latest: { period: '2025-11', value: 99.5, meets: true } });
    expect(read1.get('green_travel')).toMatchObject({ latest: null, values: [] });

    // Entering a period again replaces it: 2025 becomes 96.0, below the target.
    const again = await leader.request('PUT', '/api/v1/leaders/survey', { items: [{ indicator: 'safety_feeling', adcode: DISTRICT, period: '2025', value: 96 }] });
    expect(again.status).toBe(204);
    read1 = await survey();
    expect(read1.get('safety_feeling').latest).toEqual({ period: '2025', value: 96, meets: false });
    expect(read1.get('safety_feeling').values).toHaveLength(3);

    // Bad bodies: 400 naming what is wrong, and nothing of them is stored.
    const refused = async (body: unknown, path: string) => {
      const answer = await leader.request('PUT', '/api/v1/leaders/survey', body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect((answer.body.details as any[]).map((d) => d.path)).toContain(path);
    };
    const good = { indicator: 'green_travel', adcode: DISTRICT, period: '2025', value: 80 };
    await refused({ items: [good, { ...good, indicator: 'happiness' }] }, '/items/1/indicator');
    await refused({ items: [good, { ...good, period: '25' }] }, '/items/1/period');
    await refused({ items: [good, { ...good, period: '2025-13' }] }, '/items/1/period');
    await refused({ items: [good, { ...good, adcode: '110102999' }] }, '/items/1/adcode');
    await refused({ items: [good, { ...good, value: 'high' }] }, '/items/1/value');
    await refused({ items: [] }, '/items');
    await refused({ items: [good], extra: 1 }, '/');
    read1 = await survey();
    expect(read1.get('green_travel')).toMatchObject({ latest: null, values: [] });
  });
});

describe.each(STORE_KINDS)('leaders’ reference figures on %s', (kind) => {
  it('sets and imports populations, all or nothing, naming the bad line', async () => {
    const server = await start(kind);
    const leader = await signIn(server, 'leader', { username: 'lead' });
    const references = async () => new Map(((await read(leader, '/api/v1/reference/areas')).areas as any[]).map((a) => [a.adcode, a]));
    // The census seed: the district and its 15 subdistricts, three with a population.
    let held = await references();
    expect(held.size).toBe(16);
    expect(held.get(SHICHAHAI.adcode)).toMatchObject({ population: 75447, communities: 22, updatedBy: 'system:census-seed' });
    expect(held.get(XICHENGGUAN)).toMatchObject({ population: null });

    // PUT one area.
    const put = await leader.request('PUT', `/api/v1/reference/areas/${SHICHAHAI.adcode}`, { population: 80000, households: 30000, communities: 23, sourceNote: 'survey 2024' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((put.body.areas as any[]).find((a) => a.adcode === SHICHAHAI.adcode)).toMatchObject({
      population: 80000, households: 30000, communities: 23, sourceNote: 'survey 2024', updatedBy: 'user:lead',
    });
    expect((await leader.request('PUT', '/api/v1/reference/areas/110102999', { population: 1, households: null, communities: null, sourceNote: '' })).status).toBe(404);
    const zero = await leader.request('PUT', `/api/v1/reference/areas/${SHICHAHAI.adcode}`, { population: 0, households: null, communities: null, sourceNote: '' });
    expect(zero.status).toBe(400);
    expect(zero.body.details.map((d: any) => d.path)).toContain('/population');

    // A good import: the census file's own columns, one row per area; an empty cell is not known.
    const good = await sendCsv(server, leader, 'adcode,name,population,households,communities,source_note\n110102010,德胜街道,120000,50000,20,2024 estimate\n110102001,西长安街街道,60000,,,\n110102018,牛街街道,,,,unknown now\n');
    expect(good.status, JSON.stringify(good.body)).toBe(200);
    held = await references();
    expect(held.get(DESHENG.adcode)).toMatchObject({ population: 120000, households: 50000, communities: 20, sourceNote: '2024 estimate', updatedBy: 'user:lead' });
    expect(held.get(XICHENGGUAN)).toMatchObject({ population: 60000, households: null, communities: null, sourceNote: '' });
    expect(held.get(NIUJIE.adcode)).toMatchObject({ population: null, sourceNote: 'unknown now' });
    const before = JSON.stringify([...held.values()]);

    // Files with one bad line: 400 naming that line (the header is line 1), and nothing written,
    // not even the good lines above it.
    const refused = async (text: string, path: string) => {
      const answer = await sendCsv(server, leader, text);
      expect(answer.status, JSON.stringify(answer.body)).toBe(400);
      expect(answer.body.code).toBe('VALIDATION_FAILED');
      expect((answer.body.details as any[]).map((d) => d.path)).toEqual([path]);
      expect(JSON.stringify([...(await references()).values()])).toBe(before);
    };
    await refused('adcode,population\n110102010,130000\n110102001,65000\n110102018,lots\n', '/rows/4/population');
    await refused('adcode,population\n110102010,130000\n110102999,5\n', '/rows/3/adcode');
    await refused('adcode,population\n110102010,130000\n110102001,0\n', '/rows/3/population');
    // A figure no area has (more than 100 million), and an area named twice.
    await refused('adcode,population\n110102010,130000\n110102001,99999999999\n', '/rows/3/population');
    await refused('adcode,population\n110102010,130000\n110102001,65000\n110102010,140000\n', '/rows/4/adcode');
  });
});

describe.each(STORE_KINDS)('leaders’ access on %s', (kind) => {
  it('lets leaders and admins in, and refuses other roles and strangers', async () => {
    const server = await start(kind);
    const operator = await signIn(server, 'operator');
    const admin = await signIn(server, 'admin');
    const window = query(DAY_WINDOW);
    const reads = [
      `/api/v1/leaders/areas?${window}`,
      `/api/v1/leaders/areas.csv?${window}`,
      `/api/v1/leaders/indicators?${window}`,
      `/api/v1/leaders/heat?${window}`,
      '/api/v1/reference/areas',
      `/api/v1/history/snapshot?${query({ at: ms(-60) })}`,
      `/api/v1/history/changes?${query({ from: ms(-60), to: ms(0) })}`,
    ];
    for (const path of reads) {
      expect((await operator.request('GET', path)).status, path).toBe(403);
      expect((await call(server, 'GET', path)).status, path).toBe(401);
      expect((await admin.request('GET', path)).status, path).toBe(200);
    }
    const survey = { items: [{ indicator: 'safety_feeling', adcode: DISTRICT, period: '2025', value: 97 }] };
    expect((await operator.request('PUT', '/api/v1/leaders/survey', survey)).status).toBe(403);
    expect((await operator.request('PUT', `/api/v1/reference/areas/${SHICHAHAI.adcode}`, { population: 1, households: null, communities: null, sourceNote: '' })).status).toBe(403);
    expect((await sendCsv(server, operator, 'adcode,population\n110102012,1\n')).status).toBe(403);
    // Nothing the operator sent was written.
    const leader = await signIn(server, 'leader');
    const held = (await read(leader, '/api/v1/reference/areas')).areas.find((a: any) => a.adcode === SHICHAHAI.adcode);
    expect(held.population).toBe(75447);
    const indicators = await read(leader, `/api/v1/leaders/indicators?${window}`);
    expect(indicators.survey.find((s: any) => s.key === 'safety_feeling').values).toEqual([]);
  });
});
