/**
 * Ingest throughput, for `npm run bench`: position reports per second stored through
 * POST /api/v1/positions (batches) and through single OsmAnd requests (one position each, as
 * Traccar Client sends them), into PGlite and into PostgreSQL, each beside a baseline from the
 * same run: plain multi-row INSERTs of the same rows into a bare table on the same store.
 *
 * The load comes from this same process over loopback, so sender and server share the two
 * cores; the baseline pays no HTTP, JSON, validation, classification or live stream.
 */
import type { PositionReport } from '../../server/contract/ingest.ts';
import type { Store } from '../../server/store/store.ts';
import { appendHistory, type HistoryRow } from '../../server/store/volunteers.ts';
import { createTestStore, post, startServer, type StoreKind, type TestServer } from '../support/server.ts';

const RUN_MS = 8_000;
const BATCH = 2_000;
const BASELINE_ROWS_PER_INSERT = 1_000;
const OSMAND_IN_FLIGHT = 32;
const VOLUNTEERS = 500;
export const GOAL_PER_SECOND = 50_000;

export interface ThroughputRow {
  label: string;
  perSecond: number;
}

export async function ingestThroughput(kind: StoreKind): Promise<ThroughputRow[]> {
  const server = await startServer(await createTestStore(kind));
  try {
    const ids = await registerVolunteers(server);
    return [
      { label: 'multi-row INSERT baseline', perSecond: await multiRowInsertBaseline(server.app.store) },
      { label: `POST /api/v1/positions ×${BATCH}`, perSecond: await batchApi(server, ids) },
      { label: `GET /api/v1/osmand, ${OSMAND_IN_FLIGHT} in flight`, perSecond: await osmandSingles(server, ids) },
    ];
  } finally {
    await server.dispose();
  }
}

/**
 * The position history alone, into the real positions table (its indexes and all), 1,000 rows a
 * statement: the store's own path (COPY on PostgreSQL, a JSON recordset on PGlite) against
 * plain multi-row INSERTs of the same rows.
 */
export async function persistenceThroughput(kind: StoreKind): Promise<ThroughputRow[]> {
  const server = await startServer(await createTestStore(kind));
  // Registered before the connection is taken: PGlite's pool has only the one.
  const ids = await registerVolunteers(server);
  const client = await server.app.store.pool.connect();
  try {
    let n = 0;
    const rows = (): HistoryRow[] =>
      Array.from({ length: BASELINE_ROWS_PER_INSERT }, () => {
        const { lon, lat } = spot(n);
        const id = ids[n++ % ids.length]!;
        return { id, at: new Date().toISOString(), lon, lat, subdistrict: '110102012', cell: '110102012-000-000', outside: false, seq: n, accuracy: 5, battery: 80 };
      });
    const baseline = await forAWhile(async () => {
      const values: unknown[] = [];
      const tuples = rows().map((r) => {
        const p = values.length;
        values.push(r.id, r.at, r.lon, r.lat, r.subdistrict, r.cell, r.outside, r.seq, r.accuracy, r.battery);
        return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6}, $${p + 7}, $${p + 8}, $${p + 9}, $${p + 10})`;
      });
      await client.query(`INSERT INTO positions (volunteer_id, at, lon, lat, subdistrict, cell, outside, seq, accuracy, battery) VALUES ${tuples.join(', ')}`, values);
      return BASELINE_ROWS_PER_INSERT;
    });
    const copies = server.app.store.copies;
    const own = await forAWhile(async () => {
      await appendHistory(client, rows(), copies);
      return BASELINE_ROWS_PER_INSERT;
    });
    return [
      { label: 'multi-row INSERT baseline', perSecond: baseline },
      { label: copies ? 'appendHistory: COPY' : 'appendHistory: JSON recordset', perSecond: own },
    ];
  } finally {
    client.release();
    await server.dispose();
  }
}

async function registerVolunteers(server: TestServer): Promise<string[]> {
  const ids = Array.from({ length: VOLUNTEERS }, (_, i) => `BV${i}`);
  await post(server, '/api/v1/teams', { items: [{ id: 'BT', name: '压测队', subdistrict: '110102012', specialty: 'patrol' }] });
  await post(server, '/api/v1/volunteers', { items: ids.map((id) => ({ id, teamId: 'BT', name: id, deviceId: `dev-${id}` })) });
  return ids;
}

/** A point inside the district that moves with n, so no report repeats the one before. */
function spot(n: number): { lon: number; lat: number } {
  return { lon: 116.34 + (n % 997) * 4e-5, lat: 39.88 + (n % 991) * 7e-5 };
}

async function forAWhile(step: () => Promise<number>): Promise<number> {
  const start = performance.now();
  let done = 0;
  while (performance.now() - start < RUN_MS) done += await step();
  return done / ((performance.now() - start) / 1000);
}

async function multiRowInsertBaseline(store: Store): Promise<number> {
  await store.pool.query(
    'CREATE TABLE bench_positions (volunteer_id text, at timestamptz, lon float8, lat float8, subdistrict text, cell text, outside boolean)',
  );
  let n = 0;
  return forAWhile(async () => {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let i = 0; i < BASELINE_ROWS_PER_INSERT; i++, n++) {
      const { lon, lat } = spot(n);
      const p = values.length;
      rows.push(`($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, '110102012', '110102012-000-000', false)`);
      values.push(`BV${n % VOLUNTEERS}`, new Date().toISOString(), lon, lat);
    }
    await store.pool.query(`INSERT INTO bench_positions VALUES ${rows.join(', ')}`, values);
    return BASELINE_ROWS_PER_INSERT;
  });
}

async function batchApi(server: TestServer, ids: string[]): Promise<number> {
  let n = 0;
  return forAWhile(async () => {
    const at = new Date().toISOString();
    const items: PositionReport[] = Array.from({ length: BATCH }, () => ({ volunteerId: ids[n % ids.length]!, ...spot(n++), at }));
    const response = await post(server, '/api/v1/positions', { items });
    if (response.status !== 200) throw new Error(`batch answered ${response.status}: ${JSON.stringify(response.body)}`);
    return BATCH;
  });
}

async function osmandSingles(server: TestServer, ids: string[]): Promise<number> {
  let n = 0;
  const one = async (): Promise<void> => {
    const { lon, lat } = spot(n);
    const id = `dev-${ids[n++ % ids.length]}`;
    const url = `${server.url}/api/v1/osmand?id=${id}&lat=${lat}&lon=${lon}&timestamp=${Math.floor(Date.now() / 1000)}&key=${server.token}`;
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`osmand answered ${response.status}`);
  };
  return forAWhile(async () => {
    await Promise.all(Array.from({ length: OSMAND_IN_FLIGHT }, one));
    return OSMAND_IN_FLIGHT;
  });
}
