/**
 * Accounts a fresh install needs, made by the store's first start or the admin command: the
 * first admin, with a random one-time password (there is no default password), and a wall
 * link for the first screen. Both are printed once, on lines of their own:
 *
 *   Admin: admin <password>
 *   Wall link: http://localhost:8080/#link=<token>
 */
import { hashPassword, oneTimePassword } from '../domain/passwords.ts';
import { signWallLink } from '../domain/tokens.ts';
import { audit } from '../store/audit.ts';
import { signingSecret } from '../store/settings.ts';
import type { Queryable, Store } from '../store/store.ts';
import { countUsers, createUser } from '../store/users.ts';
import { createWallLink } from '../store/wall-links.ts';

export const FIRST_ADMIN = 'admin';
/** Servers starting together on one database take turns at this lock. */
const FIRST_START_LOCK = 7_340_001;

export async function createAdmin(tx: Queryable, username: string, actor: string): Promise<string | null> {
  const password = oneTimePassword();
  const created = await createUser(tx, { username, role: 'admin', subdistrict: null, passwordHash: await hashPassword(password) });
  if (!created) return null;
  await audit(tx, actor, 'user.created', username, { role: 'admin' });
  return `Admin: ${username} ${password}`;
}

export async function createWallLinkLine(
  tx: Queryable,
  spec: { name: string; subdistrict: string | null; expiresAt: Date | null },
  actor: string,
  baseUrl: string,
): Promise<string> {
  const link = await createWallLink(tx, { ...spec, createdBy: actor });
  await audit(tx, actor, 'wall-link.created', link.id, { name: spec.name, subdistrict: spec.subdistrict });
  return `Wall link: ${baseUrl}/#link=${signWallLink(link.id, await signingSecret(tx))}`;
}

/** On a store without users: the first admin and a wall link, as the lines to print; else none. */
export async function firstStart(store: Store, baseUrl: string): Promise<string[]> {
  return store.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [FIRST_START_LOCK]);
    if ((await countUsers(tx)) > 0) return [];
    const admin = await createAdmin(tx, FIRST_ADMIN, 'system');
    const link = await createWallLinkLine(tx, { name: 'First wall', subdistrict: null, expiresAt: null }, 'system', baseUrl);
    return [admin!, link];
  });
}
