/**
 * What a server has written, as a value to compare before and after a request: the head
 * sequence number, the live sequence itself (a refused batch must not use up numbers), and the
 * row count and a digest of the rows of every data table (found in the catalogue, so a table
 * added later is covered too). Feed keys and migrations are not data a feed writes.
 */
import type { App } from '../../server/app.ts';

const NOT_FEED_DATA = ['feed_keys', 'schema_migrations'];

export interface Written {
  head: number;
  sequence: string;
  tables: Record<string, { rows: number; digest: string }>;
}

export async function written(app: App): Promise<Written> {
  const { pool } = app.store;
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND NOT (tablename = ANY($1)) ORDER BY tablename`,
    [NOT_FEED_DATA],
  );
  const digests: Written['tables'] = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<{ rows: number; digest: string }>(
      `SELECT count(*)::int AS rows, coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') AS digest FROM ${name} t`,
    );
    digests[name] = rows[0]!;
  }
  const { rows: sequence } = await pool.query<{ state: string }>(`SELECT last_value || ':' || is_called AS state FROM live_seq`);
  return { head: app.store.head, sequence: sequence[0]!.state, tables: digests };
}
