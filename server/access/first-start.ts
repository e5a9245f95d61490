/**
 * Accounts a fresh install needs, made by the store's first start or the admin command: the
 * first admin, with a random one-time password (there is no default password), and a wall
 * link for the first screen. Both are printed once, on lines of their own:
 *
 *   Admin: admin <password>
 *   Wall link: http://localhost:8080/#link=<token>
 */
import { wallLinkUrl } from '../domain/tokens.ts';
import { signingSecret } from '../store/settings.ts';
import type { Queryable, Store } from '../store/store.ts';
import { countUsers } from '../store/users.ts';
import { createAccount, createLink } from './accounts.ts';

export const FIRST_ADMIN = 'admin';
/** Servers starting together on one database take turns at this lock. */
const FIRST_START_LOCK = 7_340_001;

export async function createAdmin(tx: Queryable, username: string, actor: string): Promise<string | null> {
  const created = await createAccount(tx, { username, role: 'admin', subdistrict: null }, actor);
  return created && `Admin: ${username} ${created.password}`;
}

export async function createWallLinkLine(
  tx: Queryable,
  spec: { name: string; subdistrict: string | null; expiresAt: Date | null },
  actor: string,
  baseUrl: string,
): Promise<string> {
  const link = await createLink(tx, spec, actor);
  return `Wall link: ${wallLinkUrl(baseUrl, link.id, await signingSecret(tx))}`;
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
