/**
 * Server-side sessions: a cookie holds a random token, the store its SHA-256, the owner (a
 * user, a wall link or a volunteer's link) and when it ends. Resolving a session also checks that its owner is
 * still enabled, its link not revoked or expired, so ending any of them ends the session.
 */
import type { Principal, Role } from '../domain/access.ts';
import { newSessionToken, sha256 } from '../domain/tokens.ts';
import type { Queryable } from './store.ts';
import { USABLE_VOLUNTEER_LINK } from './volunteer-links.ts';
import { USABLE_LINK } from './wall-links.ts';

interface SessionRow {
  token_sha256: string;
  kind: Principal['kind'];
  owner_id: string;
  name: string;
  role: Role;
  subdistrict: string | null;
  must_change: boolean;
}

/** Starts a session; the token goes into the cookie and is never stored. */
export async function openSession(
  q: Queryable,
  owner: { userId: string } | { wallLinkId: string } | { volunteerLinkId: string },
  expiresAt: Date,
): Promise<{ token: string; id: string }> {
  const token = newSessionToken();
  const id = sha256(token);
  await q.query(
    'INSERT INTO sessions (token_sha256, user_id, wall_link_id, volunteer_link_id, expires_at) VALUES ($1, $2, $3, $4, $5)',
    [
      id,
      'userId' in owner ? owner.userId : null,
      'wallLinkId' in owner ? owner.wallLinkId : null,
      'volunteerLinkId' in owner ? owner.volunteerLinkId : null,
      expiresAt,
    ],
  );
  return { token, id };
}

/** Who holds this token, or null for an unknown, ended or expired session, or one whose owner is gone. */
export async function resolveSession(q: Queryable, token: string): Promise<Principal | null> {
  const { rows } = await q.query<SessionRow>(
    `SELECT s.token_sha256, 'user' AS kind, u.id::text AS owner_id, u.username AS name, u.role, u.subdistrict, u.must_change
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.token_sha256 = $1 AND s.expires_at > now() AND u.disabled_at IS NULL
     UNION ALL
     SELECT s.token_sha256, 'wall-link', w.id, w.name, 'wall', w.subdistrict, false
       FROM sessions s JOIN wall_links w ON w.id = s.wall_link_id
      WHERE s.token_sha256 = $1 AND s.expires_at > now() AND ${USABLE_LINK}
     UNION ALL
     SELECT s.token_sha256, 'volunteer-link', v.id, v.name, 'volunteer', t.subdistrict, false
       FROM sessions s JOIN volunteer_links l ON l.id = s.volunteer_link_id
       JOIN volunteers v ON v.id = l.volunteer_id JOIN teams t ON t.id = v.team_id
      WHERE s.token_sha256 = $1 AND s.expires_at > now() AND ${USABLE_VOLUNTEER_LINK}`,
    [sha256(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    kind: row.kind,
    id: row.owner_id,
    name: row.name,
    role: row.role,
    subdistrict: row.subdistrict,
    mustChangePassword: row.must_change,
    sessionId: row.token_sha256,
  };
}

/** Of these sessions, those that are still valid (not ended, not expired, owner still allowed). */
export async function stillValidSessions(q: Queryable, ids: string[]): Promise<Set<string>> {
  const { rows } = await q.query<{ token_sha256: string }>(
    `SELECT s.token_sha256 FROM sessions s
       LEFT JOIN users u ON u.id = s.user_id
       LEFT JOIN wall_links w ON w.id = s.wall_link_id
       LEFT JOIN volunteer_links l ON l.id = s.volunteer_link_id
      WHERE s.token_sha256 = ANY($1) AND s.expires_at > now()
        AND (u.id IS NOT NULL AND u.disabled_at IS NULL OR w.id IS NOT NULL AND ${USABLE_LINK}
             OR l.id IS NOT NULL AND ${USABLE_VOLUNTEER_LINK})`,
    [ids],
  );
  return new Set(rows.map((row) => row.token_sha256));
}

export async function closeSession(q: Queryable, sessionId: string): Promise<void> {
  await q.query('DELETE FROM sessions WHERE token_sha256 = $1', [sessionId]);
}

/** Ends every session of a user (password changed elsewhere, disabled, role changed), but `keep`. */
export async function closeUserSessions(q: Queryable, userId: string, keep: string | null = null): Promise<void> {
  await q.query('DELETE FROM sessions WHERE user_id = $1 AND token_sha256 IS DISTINCT FROM $2', [userId, keep]);
}

export async function deleteExpiredSessions(q: Queryable): Promise<number> {
  const result = await q.query('DELETE FROM sessions WHERE expires_at <= now()');
  return result.rowCount ?? 0;
}
