/**
 * Feed API keys: create, find, list, revoke. Only the SHA-256 of a key's secret is stored.
 */
import { randomBytes } from 'node:crypto';
import { issueKey } from '../domain/keys.ts';
import type { Queryable } from './store.ts';

export type Coordinates = 'wgs84' | 'gcj02';

export interface FeedKey {
  id: string;
  name: string;
  coordinates: Coordinates;
  simulated: boolean;
  ratePerMinute: number;
  createdAt: string;
  revokedAt: string | null;
}

export interface NewFeedKey {
  name: string;
  coordinates?: Coordinates;
  simulated?: boolean;
  ratePerMinute?: number;
}

interface KeyRow {
  id: string;
  name: string;
  coordinates: Coordinates;
  simulated: boolean;
  rate_per_minute: number;
  created_at: Date;
  revoked_at: Date | null;
  secret_sha256: string;
}

function toKey(row: KeyRow): FeedKey {
  return {
    id: row.id,
    name: row.name,
    coordinates: row.coordinates,
    simulated: row.simulated,
    ratePerMinute: row.rate_per_minute,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

/** Creates a key and returns it with its token, which is never readable again. */
export async function createFeedKey(q: Queryable, spec: NewFeedKey): Promise<{ key: FeedKey; token: string }> {
  const issued = issueKey(randomBytes(4), randomBytes(32));
  const { rows } = await q.query<KeyRow>(
    `INSERT INTO feed_keys (id, name, secret_sha256, coordinates, simulated, rate_per_minute)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [issued.id, spec.name, issued.secretSha256, spec.coordinates ?? 'wgs84', spec.simulated ?? false, spec.ratePerMinute ?? 600],
  );
  return { key: toKey(rows[0]!), token: issued.token };
}

/** A key that is not revoked, with its secret's hash for checking. */
export async function findActiveKey(q: Queryable, id: string): Promise<(FeedKey & { secretSha256: string }) | null> {
  const { rows } = await q.query<KeyRow>('SELECT * FROM feed_keys WHERE id = $1 AND revoked_at IS NULL', [id]);
  const row = rows[0];
  return row ? { ...toKey(row), secretSha256: row.secret_sha256 } : null;
}

export async function listFeedKeys(q: Queryable): Promise<FeedKey[]> {
  const { rows } = await q.query<KeyRow>('SELECT * FROM feed_keys ORDER BY created_at');
  return rows.map(toKey);
}

/** Revokes the key; false when there is no such active key. */
export async function revokeFeedKey(q: Queryable, id: string): Promise<boolean> {
  const result = await q.query('UPDATE feed_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  return (result.rowCount ?? 0) > 0;
}

/** Revokes every active key of this name (the built-in simulator's key of an earlier start). */
export async function revokeFeedKeysNamed(q: Queryable, name: string): Promise<number> {
  const result = await q.query('UPDATE feed_keys SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL', [name]);
  return result.rowCount ?? 0;
}
