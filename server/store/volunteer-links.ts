/**
 * Volunteers' personal links: each opens one volunteer's own page (its duty, its offers),
 * nothing else. A volunteer has at most one active link; making a new one revokes the old, and
 * revoking ends the sessions it opened. Signed like wall links (domain/tokens.ts), with their
 * own purpose, and checked against their row at every use.
 */
import type { Principal } from '../domain/access.ts';
import { newWallLinkId } from '../domain/tokens.ts';
import type { Queryable } from './store.ts';

/** A link (aliased `l`) that may open a volunteer's page now. */
export const USABLE_VOLUNTEER_LINK = 'l.revoked_at IS NULL';

export interface VolunteerLink {
  id: string;
  volunteerId: string;
  createdAt: string;
}

/** A new link for the volunteer, revoking the one before; null when there is no such volunteer. */
export async function createVolunteerLink(q: Queryable, volunteerId: string, createdBy: string): Promise<VolunteerLink | null> {
  await revokeVolunteerLinks(q, volunteerId);
  const { rows } = await q.query<{ id: string; volunteer_id: string; created_at: Date }>(
    `INSERT INTO volunteer_links (id, volunteer_id, created_by)
     SELECT $1, id, $3 FROM volunteers WHERE id = $2 RETURNING id, volunteer_id, created_at`,
    [newWallLinkId(), volunteerId, createdBy],
  );
  const row = rows[0];
  return row ? { id: row.id, volunteerId: row.volunteer_id, createdAt: row.created_at.toISOString() } : null;
}

/** Revokes the volunteer's active link and ends its sessions; false when there was none. */
export async function revokeVolunteerLinks(q: Queryable, volunteerId: string): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>(
    'UPDATE volunteer_links SET revoked_at = now() WHERE volunteer_id = $1 AND revoked_at IS NULL RETURNING id',
    [volunteerId],
  );
  await q.query('DELETE FROM sessions WHERE volunteer_link_id = ANY($1)', [rows.map((r) => r.id)]);
  return rows.length > 0;
}

/** The link, when it may open a page now. */
export async function findUsableVolunteerLink(q: Queryable, id: string): Promise<VolunteerLink | null> {
  const { rows } = await q.query<{ id: string; volunteer_id: string; created_at: Date }>(
    `SELECT id, volunteer_id, created_at FROM volunteer_links l WHERE id = $1 AND ${USABLE_VOLUNTEER_LINK}`,
    [id],
  );
  const row = rows[0];
  return row ? { id: row.id, volunteerId: row.volunteer_id, createdAt: row.created_at.toISOString() } : null;
}

/** The active link of each of these volunteers. */
export async function activeVolunteerLinks(q: Queryable, volunteerIds: string[]): Promise<Map<string, VolunteerLink>> {
  const { rows } = await q.query<{ id: string; volunteer_id: string; created_at: Date }>(
    `SELECT id, volunteer_id, created_at FROM volunteer_links l WHERE volunteer_id = ANY($1) AND ${USABLE_VOLUNTEER_LINK}`,
    [volunteerIds],
  );
  return new Map(rows.map((r) => [r.volunteer_id, { id: r.id, volunteerId: r.volunteer_id, createdAt: r.created_at.toISOString() }]));
}

/** The principal a volunteer's page acts as (its session id is added when it opens). */
export async function volunteerPrincipal(q: Queryable, volunteerId: string): Promise<Omit<Principal, 'sessionId'> | null> {
  const { rows } = await q.query<{ id: string; name: string; subdistrict: string }>(
    'SELECT v.id, v.name, t.subdistrict FROM volunteers v JOIN teams t ON t.id = v.team_id WHERE v.id = $1',
    [volunteerId],
  );
  const row = rows[0];
  return row ? { kind: 'volunteer-link', id: row.id, name: row.name, role: 'volunteer', subdistrict: row.subdistrict, mustChangePassword: false } : null;
}
