/**
 * Applies the SQL files in ./migrations in name order, each once, each in its own transaction,
 * recording them in `schema_migrations`. Runs on every start.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export async function migrate(pool: pg.Pool): Promise<string[]> {
  await pool.query(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const done = new Set(
    (await pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
  );
  const pending = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql') && !done.has(f)).sort();
  for (const name of pending) await applyOne(pool, name);
  return pending;
}

async function applyOne(pool: pg.Pool, name: string): Promise<void> {
  const sql = readFileSync(new URL(name, MIGRATIONS_DIR), 'utf8');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(sql);
    await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}
