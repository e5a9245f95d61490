/**
 * Opens the store: a `pg.Pool` on a real PostgreSQL when a URL is given, else on an embedded
 * PGlite kept on disk under `dataDir`. Both go through the same `pg` code path, so every
 * repository is written once. Migrations are applied before the pool is handed out.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { migrate } from './migrate.ts';

export type StoreKind = 'pglite' | 'postgresql';

export interface Database {
  kind: StoreKind;
  pool: pg.Pool;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.databaseUrl
    ? openPostgres(options.databaseUrl)
    : await openPglite(options.dataDir);
  try {
    await migrate(database.pool);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

const CONNECT_TIMEOUT_MS = 5_000;

function openPostgres(url: string): Database {
  // A database that cannot be reached fails a request within seconds (503, retry) instead of
  // holding it; keep-alive finds a connection the network dropped without a word.
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
  // A client losing its connection must not crash the process: an idle one is the pool's
  // ('error' on the pool), a checked-out one emits on itself while its query fails anyway (503).
  // The next query opens a new connection.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return { kind: 'postgresql', pool, close: () => pool.end() };
}

async function openPglite(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  const pglite = await PGlite.create(dataDir).catch((error: unknown) => {
    unlock();
    throw error;
  });
  // PGlite is one connection: the pool hands out that one client at a time.
  const pool = new PglitePool({ ...createPgConfig(pglite), max: 1 });
  pool.on('error', () => undefined);
  return {
    kind: 'pglite',
    pool,
    async close() {
      await pool.end();
      await pglite.close();
      unlock();
    },
  };
}

/**
 * PGlite's node-postgres adapter shares one connection object among all the pool's clients. When
 * `pool.query` fails, pg destroys the client and makes a new one on that same connection, which
 * then receives the failed query's trailing protocol messages and misreads every answer after
 * (seen: "Received unexpected rowDescription message", then hangs). A client that is kept reads
 * those messages itself, so here every query releases its client whole, error or not.
 */
class PglitePool extends pg.Pool {
  override async query(text: any, values?: any): Promise<any> {
    const client = await this.connect();
    try {
      return await client.query(text, values);
    } finally {
      client.release();
    }
  }
}

/**
 * PGlite's files may be opened by one process only; a second one would corrupt them. A lock
 * file beside the directory names the owner; one left by a process that died is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/\/+$/, '')}.lock`;
  try {
    writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const owner = Number(readFileSync(lockFile, 'utf8'));
    if (owner !== process.pid && isAlive(owner)) {
      throw new Error(`${dataDir} is in use by process ${owner}: stop it first (PGlite allows one process)`);
    }
    writeFileSync(lockFile, String(process.pid));
  }
  return () => rmSync(lockFile, { force: true });
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
