/**
 * Starts the real server on a free port for a test, on a fresh embedded PGlite directory or a
 * fresh database on the real PostgreSQL (TEST_DATABASE_URL, default the local `test` server),
 * and tears it down afterwards. Each call gets its own store: tests share nothing mutable.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp, type App } from '../../server/app.ts';
import { configFrom, type Config } from '../../server/config.ts';
import { openDatabase } from '../../server/store/db.ts';
import { createFeedKey } from '../../server/store/keys.ts';

export type StoreKind = 'pglite' | 'postgresql';
export const STORE_KINDS: StoreKind[] = ['pglite', 'postgresql'];

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestServer {
  app: App;
  url: string;
  /** a feed key made for the test; `post` sends it */
  token: string;
  config: Config;
  /** Closes the app; the store stays (for reopen tests) until `dispose`. */
  close(): Promise<void>;
  dispose(): Promise<void>;
}

export interface TestStore {
  kind: StoreKind;
  env: Record<string, string>;
  dispose(): Promise<void>;
}

let databases = 0;

/**
 * Creating a PGlite data directory takes seconds; copying a migrated one takes milliseconds.
 * One template per test process, copied for each store.
 */
let pgliteTemplate: Promise<string> | undefined;

function migratedPgliteTemplate(): Promise<string> {
  pgliteTemplate ??= (async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'wall-pglite-template-')), 'data');
    const database = await openDatabase({ databaseUrl: null, dataDir: dir });
    await database.close();
    return dir;
  })();
  return pgliteTemplate;
}

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const parent = mkdtempSync(join(tmpdir(), 'wall-pglite-'));
    const dir = join(parent, 'data');
    cpSync(await migratedPgliteTemplate(), dir, { recursive: true });
    return { kind, env: { DATA_DIR: dir }, dispose: async () => rmSync(parent, { recursive: true, force: true }) };
  }
  const name = `wall_test_${process.pid}_${Date.now()}_${databases++}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    env: { DATABASE_URL: url.toString() },
    dispose: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** Runs one statement on the test PostgreSQL's admin database (CREATE or DROP DATABASE). */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startServer(store: TestStore, env: Record<string, string> = {}): Promise<TestServer> {
  const config = configFrom({ PORT: '0', HOST: '127.0.0.1', SIMULATE: '0', FRAME_INTERVAL_MS: '50', ...store.env, ...env });
  const app = await buildApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { token } = await createFeedKey(app.store.pool, { name: 'test feed', ratePerMinute: 1_000_000 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await app.close();
  };
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    token,
    config,
    close,
    async dispose() {
      await close();
      await store.dispose();
    },
  };
}

/** POSTs JSON with the server's test key (or another token, or none with `null`). */
export async function post(
  server: { url: string; token: string },
  path: string,
  body: unknown,
  token: string | null = server.token,
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}
