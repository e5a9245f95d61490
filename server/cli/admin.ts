/**
 * `npm run admin -- <command>`: accounts and wall links from the command line, on the
 * configured store (DATABASE_URL, or the embedded PGlite under DATA_DIR, which only one
 * process may open: stop the server first). Secrets are printed once.
 *
 *   create-admin [--name NAME]                         a new admin with a one-time password
 *   reset-password --name NAME                         a new one-time password
 *   users                                              every account
 *   wall-link create --name NAME [--subdistrict ADCODE] [--days N] [--url BASE]
 *   wall-link list | wall-link revoke ID
 */
import { parseArgs } from 'node:util';
import { createAdmin, createWallLinkLine, FIRST_ADMIN } from '../access/first-start.ts';
import { configFrom } from '../config.ts';
import { SUBDISTRICTS } from '../../geo/names.ts';
import { resetPassword, revokeLink } from '../access/accounts.ts';
import { openDatabase } from '../store/db.ts';
import { Store } from '../store/store.ts';
import { findCredentials, listUsers } from '../store/users.ts';
import { listWallLinks } from '../store/wall-links.ts';

const USAGE = `usage: npm run admin -- create-admin [--name NAME] | reset-password --name NAME | users
       | wall-link create --name NAME [--subdistrict ADCODE] [--days N] [--url BASE] | wall-link list | wall-link revoke ID`;
const ACTOR = 'cli';

type Values = { name?: string; subdistrict?: string; days?: string; url?: string };

async function wallLink(store: Store, action: string | undefined, id: string | undefined, values: Values, baseUrl: string): Promise<number> {
  if (action === 'create' && values.name) {
    const subdistrict = values.subdistrict ?? null;
    if (subdistrict !== null && !SUBDISTRICTS.some((s) => s.adcode === subdistrict)) throw new Error(`--subdistrict must be one of ${SUBDISTRICTS.map((s) => s.adcode).join(', ')}`);
    const days = values.days === undefined ? null : Number(values.days);
    if (days !== null && !(Number.isInteger(days) && days > 0)) throw new Error('--days must be a positive integer');
    const expiresAt = days === null ? null : new Date(Date.now() + days * 86_400_000);
    console.log(await store.transaction((tx) => createWallLinkLine(tx, { name: values.name!, subdistrict, expiresAt }, ACTOR, baseUrl)));
    return 0;
  }
  if (action === 'list') {
    for (const link of await listWallLinks(store.pool)) {
      const state = link.revokedAt ? `revoked ${link.revokedAt}` : link.expiresAt ? `until ${link.expiresAt}` : 'active';
      console.log(`${link.id}  ${link.name}  ${link.subdistrict ?? 'district'}  ${state}`);
    }
    return 0;
  }
  if (action === 'revoke' && id) {
    const revoked = await store.transaction((tx) => revokeLink(tx, id, ACTOR));
    console.log(revoked ? `Revoked ${id}; its screens lose access within a minute.` : `No active wall link ${id}.`);
    return revoked ? 0 : 1;
  }
  console.error(USAGE);
  return 2;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, subdistrict: { type: 'string' }, days: { type: 'string' }, url: { type: 'string' } },
  });
  const [command, action, id] = positionals;
  const config = configFrom(process.env);
  const baseUrl = values.url ?? config.publicUrl ?? `http://localhost:${config.port}`;
  const database = await openDatabase(config);
  const store = await Store.open(database);
  const pool = database.pool;
  try {
    if (command === 'create-admin') {
      const line = await store.transaction((tx) => createAdmin(tx, values.name ?? FIRST_ADMIN, ACTOR));
      if (line === null) throw new Error(`the username "${values.name ?? FIRST_ADMIN}" is taken`);
      console.log(line);
      return 0;
    }
    if (command === 'reset-password' && values.name) {
      const found = await findCredentials(pool, values.name);
      if (!found) throw new Error(`no enabled account "${values.name}"`);
      const password = await store.transaction((tx) => resetPassword(tx, found.user, ACTOR));
      console.log(`Password: ${values.name} ${password}`);
      return 0;
    }
    if (command === 'users') {
      for (const user of await listUsers(pool)) {
        console.log(`${user.username}  ${user.role}  ${user.subdistrict ?? 'district'}${user.disabledAt ? '  disabled' : ''}`);
      }
      return 0;
    }
    if (command === 'wall-link') return await wallLink(store, action, id, values, baseUrl);
    console.error(USAGE);
    return 2;
  } finally {
    await database.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  return 1;
});
