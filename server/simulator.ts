/**
 * Runs the seeded simulator (seeds/) against this very server once it listens, when the
 * configuration says so. The simulator is an ordinary HTTP client of /api/v1 — the same path a
 * real feed takes — with a feed key of its own, marked as simulated so the wall shows 模拟数据.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { startSimulator } from '../seeds/runner.ts';
import { createFeedKey, revokeFeedKeysNamed } from './store/keys.ts';

/** The built-in simulator's key is made anew at each start; older ones are revoked. */
const SIMULATOR_KEY_NAME = 'built-in simulator';

type RunningSimulator = ReturnType<typeof startSimulator>;

async function simulator(app: FastifyInstance): Promise<void> {
  if (!app.config.simulate) return;
  let running: RunningSimulator | null = null;
  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address === null || typeof address === 'string') return;
    await revokeFeedKeysNamed(app.store.pool, SIMULATOR_KEY_NAME);
    const { token } = await createFeedKey(app.store.pool, { name: SIMULATOR_KEY_NAME, simulated: true, ratePerMinute: 100_000 });
    running = startSimulator({
      url: `http://127.0.0.1:${address.port}`,
      speed: app.config.simSpeed,
      seed: app.config.simSeed,
      headers: { authorization: `Bearer ${token}` },
      subdistricts: app.geo.subdistricts,
      log: (message: string) => app.log.warn(message),
    });
  });
  app.addHook('preClose', async () => {
    await running?.stop();
  });
}

export default fp(simulator, { name: 'simulator', dependencies: ['services'] });
