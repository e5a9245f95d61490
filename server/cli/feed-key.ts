/**
 * `npm run feed-key -- <command>`: manage feed API keys in the configured store (DATABASE_URL,
 * or the embedded PGlite under DATA_DIR, which only one process may open: stop the server
 * first).
 *
 *   create --name NAME [--gcj02] [--simulated] [--rate N]   prints the new key once
 *   list                                                   ids, names, settings, revoked or not
 *   revoke ID
 */
import { parseArgs } from 'node:util';
import { configFrom } from '../config.ts';
import { openDatabase } from '../store/db.ts';
import { createFeedKey, listFeedKeys, revokeFeedKey } from '../store/keys.ts';

const USAGE = 'usage: npm run feed-key -- create --name NAME [--gcj02] [--simulated] [--rate N] | list | revoke ID';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      gcj02: { type: 'boolean', default: false },
      simulated: { type: 'boolean', default: false },
      rate: { type: 'string' },
    },
  });
  const [command, id] = positionals;
  const database = await openDatabase(configFrom(process.env));
  try {
    if (command === 'create' && values.name) {
      const rate = values.rate === undefined ? undefined : Number(values.rate);
      if (rate !== undefined && !(Number.isInteger(rate) && rate > 0)) throw new Error('--rate must be a positive integer');
      const { key, token } = await createFeedKey(database.pool, {
        name: values.name,
        coordinates: values.gcj02 ? 'gcj02' : 'wgs84',
        simulated: values.simulated,
        ratePerMinute: rate,
      });
      console.log(`Feed key ${key.id} for "${key.name}" (${key.coordinates}, ${key.ratePerMinute} requests/min):`);
      console.log(token);
      console.log('It is shown only now; the store keeps only its hash.');
      return 0;
    }
    if (command === 'list') {
      for (const key of await listFeedKeys(database.pool)) {
        const state = key.revokedAt ? `revoked ${key.revokedAt}` : 'active';
        console.log(`${key.id}  ${key.name}  ${key.coordinates}  ${key.ratePerMinute}/min${key.simulated ? '  simulated' : ''}  ${state}`);
      }
      return 0;
    }
    if (command === 'revoke' && id) {
      const revoked = await revokeFeedKey(database.pool, id);
      console.log(revoked ? `Revoked ${id}.` : `No active key ${id}.`);
      return revoked ? 0 : 1;
    }
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
