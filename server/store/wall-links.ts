/**
 * Wall links: read-only access for a screen, optionally scoped to one subdistrict, revocable,
 * optionally expiring. The token is signed with the server's signing secret (settings.ts);
 * only the row's id appears in it, so a link is checked against its row at every use.
 */
import { newWallLinkId } from '../domain/tokens.ts';
import type { Queryable } from './store.ts';

/** A link (aliased `w`) that may open a wall now: not revoked, not expired. */
export const USABLE_LINK = 'w.revoked_at IS NULL AND (w.expires_at IS NULL OR w.expires_at > now())';

export interface WallLink {
  id: string;
  name: string;
  subdistrict: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface WallLinkRow {
  id: string;
  name: string;
  subdistrict: string | null;
  created_by: string;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
}

function toLink(row: WallLinkRow): WallLink {
  return {
    id: row.id,
    name: row.name,
    subdistrict: row.subdistrict,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}

export interface NewWallLink {
  name: string;
  subdistrict: string | null;
  createdBy: string;
  expiresAt: Date | null;
}

export async function createWallLink(q: Queryable, link: NewWallLink): Promise<WallLink> {
  const { rows } = await q.query<WallLinkRow>(
    'INSERT INTO wall_links (id, name, subdistrict, created_by, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING *',
    [newWallLinkId(), link.name, link.subdistrict, link.createdBy, link.expiresAt],
  );
  return toLink(rows[0]!);
}

export async function listWallLinks(q: Queryable): Promise<WallLink[]> {
  const { rows } = await q.query<WallLinkRow>('SELECT * FROM wall_links ORDER BY created_at');
  return rows.map(toLink);
}

/** A link that may open a wall now: not revoked, not expired. */
export async function findUsableWallLink(q: Queryable, id: string): Promise<WallLink | null> {
  const { rows } = await q.query<WallLinkRow>(`SELECT * FROM wall_links w WHERE id = $1 AND ${USABLE_LINK}`, [id]);
  return rows[0] ? toLink(rows[0]) : null;
}

/** Revokes the link and ends the sessions it opened; false when there is no such active link. */
export async function revokeWallLink(q: Queryable, id: string): Promise<boolean> {
  const result = await q.query('UPDATE wall_links SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
  await q.query('DELETE FROM sessions WHERE wall_link_id = $1', [id]);
  return (result.rowCount ?? 0) > 0;
}
