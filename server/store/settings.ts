/**
 * Server-wide secrets kept in the store, made once at the first start: every server on the
 * same database signs and checks wall links with the same secret.
 */
import { newSigningSecret } from '../domain/tokens.ts';
import type { Queryable } from './store.ts';

export async function signingSecret(q: Queryable): Promise<string> {
  await q.query(`INSERT INTO settings (name, value) VALUES ('wall_link_secret', $1) ON CONFLICT (name) DO NOTHING`, [
    newSigningSecret(),
  ]);
  const { rows } = await q.query<{ value: string }>(`SELECT value FROM settings WHERE name = 'wall_link_secret'`);
  return rows[0]!.value;
}
